import type { AnalysisResult } from '@btt/compute'
import { ABSENT, code, fromCoding, localCode, PRESENT } from './codes.js'
import { coded, container, type Dataset } from './srItems.js'

/** TID 1500 row 12: the container of the report's qualitative evaluations. */
export const QUALITATIVE_EVALUATIONS = code('C0034375', 'UMLS', 'Qualitative Evaluations')

/**
 * The study-level answer for every finding the model looks for (TID 1500 rows 12–13): one CODE
 * item per label, its concept the finding (its code, or a local one) and its value Present or
 * Absent (CID 241) — present when any analysed image has it. This is how a negative result is
 * stated: each finding absent, with a code, rather than an empty measurements container.
 */
export function qualitativeEvaluations(result: AnalysisResult): Dataset | undefined {
  const labels = new Map<string, { concept: ReturnType<typeof localCode>; present: boolean }>()
  for (const image of result.images)
    for (const f of image.findings) {
      const seen = labels.get(f.label)
      if (seen) seen.present ||= f.present
      else
        labels.set(f.label, {
          concept: f.code ? fromCoding(f.code) : localCode(f.label),
          present: f.present,
        })
    }
  if (!labels.size) return undefined
  return container(
    QUALITATIVE_EVALUATIONS,
    [...labels.values()].map(({ concept, present }) =>
      coded('CONTAINS', concept, present ? PRESENT : ABSENT),
    ),
  )
}
