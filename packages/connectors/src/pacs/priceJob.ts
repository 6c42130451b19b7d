import type { AnalysisResult } from '@btt/compute'
import {
  type ComputePricing,
  defaultConfig,
  type QuoteComputeReturnType,
  quoteCompute,
} from '@btt/core'

/**
 * The bytes a job moved (its images and the results stored back) and its quote: inference time
 * as GPU time, bytes in and out, with `pricing` (the model's defaults when undefined; no quote
 * when `false`).
 *
 * @param pricing - the price schedule, `undefined` for the defaults, `false` for none.
 * @param result - the analysis (its inference time).
 * @param files - every file the job read or wrote.
 * @returns the bytes and the quote.
 * @example
 * ```ts
 * const { dataBytes, quote } = priceJob(undefined, result, [...sources, sr, ...segs])
 * ```
 */
export function priceJob(
  pricing: ComputePricing | false | undefined,
  result: Pick<AnalysisResult, 'timings'>,
  files: readonly Uint8Array[],
): { dataBytes: number; quote: QuoteComputeReturnType | null } {
  const dataBytes = files.reduce((n, f) => n + f.length, 0)
  const schedule = pricing ?? defaultConfig.computePricing
  const quote = schedule
    ? quoteCompute(schedule, {
        gpuSeconds: result.timings.inferenceMs / 1000,
        dataBytes: BigInt(dataBytes),
      })
    : null
  return { dataBytes, quote }
}
