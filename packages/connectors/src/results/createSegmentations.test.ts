import { writeDicom } from '@btt/compute/testing'
import { expect, test } from 'vitest'
import { findingOf, imageOf, maskOf, resultOf } from '../../test/resultFixture.js'
import { createSegmentations } from './createSegmentations.js'

const source = writeDicom({
  frames: [new Uint16Array(64)],
  rows: 8,
  columns: 8,
  sopInstanceUid: '1.1',
})
const positive = resultOf([imageOf('1.1', [findingOf('a', maskOf([1, 2]))])])

test('options and result are checked: every problem is listed', () => {
  const error = (() => {
    try {
      createSegmentations(positive, { sources: [source], type: 'PROB' as never, seriesNumber: -1 })
    } catch (e) {
      return e as { code: string; details: { issues: unknown[] } }
    }
  })()
  expect(error?.code).toBe('CONNECTORS_INVALID_ARGUMENT')
  expect(error?.details.issues).toHaveLength(2)
  expect(() => createSegmentations({ images: 'x' } as never, { sources: [] })).toThrow(
    expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }),
  )
})

test('unreadable sources are left out; a masked image missing from them is a typed error', () => {
  const garbage = new TextEncoder().encode('not DICOM')
  expect(createSegmentations(positive, { sources: [garbage, source] })).toHaveLength(1)
  expect(() => createSegmentations(positive, { sources: [garbage] })).toThrow(
    expect.objectContaining({ code: 'RESULT_ENCODING_FAILED' }),
  )
  expect(
    createSegmentations(resultOf([imageOf('1.1', [findingOf('a')])]), { sources: [] }),
  ).toEqual([])
})
