import { expect, test } from 'vitest'
import { findingOf, imageOf, maskOf, resultOf } from '../../test/resultFixture.js'
import { code } from './codes.js'
import { qualitativeEvaluations } from './qualitativeEvaluations.js'
import { reportContent } from './reportContent.js'

const concept = (item: Record<string, unknown>) =>
  (item.ConceptNameCodeSequence as { CodeValue: string }[])[0]!.CodeValue
const codedValue = (item: Record<string, unknown>) =>
  (item.ConceptCodeSequence as { CodeMeaning: string }[])[0]!.CodeMeaning
const procedure = code('168731009', 'SCT', 'Chest X-ray')

test('every label stated once: Present when any image has it, else Absent', () => {
  const result = resultOf([
    imageOf('1', [findingOf('a'), findingOf('b', maskOf([1]))]),
    imageOf('2', [findingOf('a'), findingOf('b')]),
  ])
  const items = qualitativeEvaluations(result)!.ContentSequence as Record<string, unknown>[]
  expect(items.map((i) => [concept(i), codedValue(i)])).toEqual([
    ['a', 'Absent'],
    ['b', 'Present'],
  ])
  expect(qualitativeEvaluations(resultOf([imageOf('1', [])]))).toBeUndefined()
})

test('Imaging Measurements only with a present finding; never an empty container', () => {
  const top = (images: ReturnType<typeof imageOf>[]) =>
    reportContent(resultOf(images), procedure)?.map(concept)
  expect(top([imageOf('1', [findingOf('a')])])).toEqual([
    '121049',
    '121005',
    '121012',
    '121013',
    '121058',
    '111028',
    'C0034375',
  ])
  expect(top([imageOf('1', [findingOf('a', maskOf([1]))])])).toContain('126010')
  // nothing to say at all: the template needs measurements or evaluations
  expect(top([imageOf('1', [])])).toBeUndefined()
})

test('multi-frame images are referenced by frame number, from 1', () => {
  const result = resultOf([
    imageOf('mf', [findingOf('a')], { frame: 0 }),
    imageOf('mf', [findingOf('a')], { frame: 1 }),
    imageOf('single', [findingOf('a')]),
  ])
  const content = reportContent(result, procedure)!
  const library = content.find((c) => concept(c) === '111028')!
  const group = (library.ContentSequence as Record<string, unknown>[])[0]!
  const refs = (
    group.ContentSequence as { ReferencedSOPSequence: Record<string, unknown>[] }[]
  ).map((i) => i.ReferencedSOPSequence[0]!.ReferencedFrameNumber)
  expect(refs).toEqual([1, 2, undefined])
})
