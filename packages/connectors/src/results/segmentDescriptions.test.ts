import { expect, test } from 'vitest'
import { findingOf, imageOf, maskOf, resultOf } from '../../test/resultFixture.js'
import type { Masked } from './maskedFindings.js'
import { ABNORMAL_STRUCTURE, segmentDescriptions } from './segmentDescriptions.js'

test('one segment per label in order of first appearance; codes from the manifest, else local', () => {
  const m = (label: string, extra = {}): Masked => {
    const mask = maskOf([1])
    return { image: imageOf('1.1', []), finding: { ...findingOf(label, mask), mask, ...extra } }
  }
  const nodule = {
    system: 'http://snomed.info/sct',
    code: '786838002',
    display: 'Pulmonary nodule',
  }
  const lung = { system: 'http://snomed.info/sct', code: '39607008', display: 'Lung' }
  const group = [m('nodule', { code: nodule, category: lung }), m('spot'), m('nodule')]
  const { labels, segments } = segmentDescriptions(resultOf([]), group)
  expect(labels).toEqual(['nodule', 'spot'])
  expect(segments.map((s) => [s.SegmentNumber, s.SegmentLabel, s.SegmentAlgorithmType])).toEqual([
    [1, 'nodule', 'AUTOMATIC'],
    [2, 'spot', 'AUTOMATIC'],
  ])
  expect(segments[0]!.SegmentedPropertyTypeCodeSequence).toEqual([
    { CodeValue: '786838002', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Pulmonary nodule' },
  ])
  expect(segments[0]!.SegmentedPropertyCategoryCodeSequence).toEqual([
    { CodeValue: '39607008', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Lung' },
  ])
  expect(segments[1]!.SegmentedPropertyCategoryCodeSequence).toEqual([ABNORMAL_STRUCTURE])
  expect(segments[1]!.SegmentedPropertyTypeCodeSequence).toEqual([
    { CodeValue: 'spot', CodingSchemeDesignator: '99BTT', CodeMeaning: 'spot' },
  ])
  expect(JSON.stringify(segments[0]!.SegmentationAlgorithmIdentificationSequence)).toContain(
    '0'.repeat(64),
  )
})
