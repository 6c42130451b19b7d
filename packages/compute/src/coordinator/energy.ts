import type { EngineConfig } from '@btt/core'

/** What the coordinator measured of one node over an epoch. */
export type MeasuredWork = {
  /** Σ `usage.gpuSeconds` of the node's paid jobs that carry a measured time. */
  workSeconds: number
  /** Σ the coordinator-measured time of those jobs (µs). */
  measuredMicros: number
  /** The node's declared power draw (W, at least 1: the epoch input's schema checks it). */
  declaredWatts: number
  /** The backend class it advertised (`cpu`, `cuda`, …); `other` when unknown. */
  backend?: string | undefined
}

/**
 * A node's energy efficiency from the coordinator's own measurements: the reference-accelerator
 * seconds of work its paid jobs were billed for, over the time the coordinator measured them
 * taking (request sent to answer received, so the network is counted against the node), per
 * credited watt, scaled so that the reference accelerator scores `referenceGflopsPerWatt`.
 *
 * The assumptions are core's config (`dividend.energy`): `secondsPerFrame` (what a frame is
 * billed, in GPU-seconds) is priced for a reference accelerator drawing `referenceWatts` and
 * earning exactly `referenceGflopsPerWatt` (energy factor 1.0); a node's power is its declared
 * draw, but never less than the `minWatts` floor of its backend class (`other` for a class not
 * listed), so a node cannot look efficient by declaring less. Zero when nothing was measured.
 *
 * @param config - the engine config the coordinator prices and pays with (its `dividend`).
 * @param work - the node's measured work, time and declared power.
 * @returns GFLOPS per watt, rounded to a whole number, for `dividendShares`.
 * @example
 * ```ts
 * import { defaultConfig } from '@btt/core'
 * // a billed GPU-second done in one measured second at 300 W: the reference, 50
 * measuredGflopsPerWatt(defaultConfig, { workSeconds: 1, measuredMicros: 1e6, declaredWatts: 300 })
 * ```
 */
export function measuredGflopsPerWatt(
  config: Pick<EngineConfig, 'dividend'>,
  work: MeasuredWork,
): number {
  const { workSeconds, measuredMicros, declaredWatts, backend } = work
  if (!(workSeconds > 0) || !(measuredMicros > 0)) return 0
  const { referenceGflopsPerWatt, referenceWatts, minWatts } = config.dividend.energy
  const speed = workSeconds / (measuredMicros / 1e6) // reference accelerators' worth of work
  // own keys only: a node advertising backend `toString` gets `other`, not Object's method
  const listed = backend !== undefined && Object.hasOwn(minWatts, backend)
  const watts = Math.max(declaredWatts, listed ? minWatts[backend]! : minWatts.other!)
  return Math.round((referenceGflopsPerWatt * speed * referenceWatts) / watts)
}
