import { expect, test } from 'vitest'
import { findingOf, imageOf, maskOf, resultOf } from '../../test/resultFixture.js'
import { maskedFindings } from './maskedFindings.js'

test('present findings with masks, grouped by series and image size; none for a negative result', () => {
  const result = resultOf([
    imageOf('1.1', [findingOf('a', maskOf([1])), findingOf('b')]),
    imageOf('1.2', [findingOf('a', maskOf([2]))], { series: '1.2.3.2' }),
    imageOf('1.3', [findingOf('a', maskOf([3]))]),
    imageOf('1.4', [findingOf('a', maskOf([4], 16))], { size: 16 }),
    // present but without a mask (a model without a mask output): no frame
    imageOf('1.5', [{ label: 'a', probability: 0.9, present: true }]),
  ])
  const groups = maskedFindings(result)
  expect(groups.map((g) => g.map((m) => m.image.sopInstanceUid))).toEqual([
    ['1.1', '1.3'],
    ['1.2'],
    ['1.4'],
  ])
  expect(maskedFindings(resultOf([imageOf('1.1', [findingOf('a')])]))).toEqual([])
})
