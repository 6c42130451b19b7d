import { type AnalysisResult, analyze } from '@btt/compute'
import { deidentify } from '../deid/deidentify.js'
import { reidentify } from '../deid/reidentify.js'
import { createMeasurementReport } from '../results/createMeasurementReport.js'
import { createSegmentations } from '../results/createSegmentations.js'
import type { PacsWatchOptions } from './types.js'

/** What analysing a study produced: the result, its SR and SEGs (identified, ready to store). */
export type AnalysedStudy = { result: AnalysisResult; sr: Uint8Array; segs: Uint8Array[] }

/**
 * Analyses a study's images with `@btt/compute` — locally, or remotely after de-identification
 * with the vault (the SR and SEGs are re-identified on the way back) — and encodes the TID 1500
 * SR and, unless `segmentation` is false, the SEGs. The same study, instances and model give the
 * same result UIDs, so a retry after a lost STOW answer replaces rather than adds.
 *
 * @param study - the Study Instance UID.
 * @param key - the instance set's key (`studyInstances`).
 * @param sources - the images.
 * @param options - the flow's options (`analyze`, `remote`, `segmentation`).
 * @returns the result, the SR and the SEGs.
 * @example
 * ```ts
 * const { sr, segs } = await analyseStudy(study, key, sources, { pacs, jobs })
 * ```
 */
export async function analyseStudy(
  study: string,
  key: string,
  sources: readonly Uint8Array[],
  options: Pick<PacsWatchOptions, 'analyze' | 'remote' | 'segmentation'>,
): Promise<AnalysedStudy> {
  const idempotencyKey = (r: AnalysisResult) => `${study}|${key}|${r.model.sha256}`
  const encode = (r: AnalysisResult, from: readonly Uint8Array[]) => ({
    sr: createMeasurementReport(r, { sources: from, idempotencyKey: idempotencyKey(r) }),
    segs:
      options.segmentation === false
        ? []
        : createSegmentations(r, { sources: from, idempotencyKey: idempotencyKey(r) }),
  })
  if (options.remote) {
    const vault = options.remote.vault
    const deid = sources.map((f) => deidentify(f, { vault }).bytes)
    const result = await (options.remote.run ?? ((fs) => analyze(fs, options.analyze)))(deid)
    const back = (bytes: Uint8Array) => reidentify(bytes, { vault }).bytes
    const made = encode(result, deid)
    return { result, sr: back(made.sr), segs: made.segs.map(back) }
  }
  const result = await analyze(
    sources.map((bytes, i) => ({ name: `${study}#${i}`, bytes })),
    options.analyze,
  )
  return { result, ...encode(result, sources) }
}
