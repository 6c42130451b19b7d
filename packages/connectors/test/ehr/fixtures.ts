import type { AnalysisResult } from '@btt/compute'
import { findingOf, imageOf, maskOf, resultOf } from '../resultFixture.js'

/** A result with one present finding (with a mask, so a SEG) and one absent, on one image. */
export function ehrResult(): AnalysisResult {
  const present = {
    ...findingOf('Nodule', maskOf([9, 10, 17, 18])),
    box: { x: 1, y: 1, width: 2, height: 2 },
  }
  const coded = {
    ...present,
    code: { system: 'http://snomed.info/sct', code: '27925004', display: 'Nodule' },
  }
  return resultOf([imageOf('1.2.3.1.1', [coded, findingOf('Effusion')])])
}

export const chest = {
  system: 'http://snomed.info/sct',
  code: '51185008',
  display: 'Thoracic structure',
}
