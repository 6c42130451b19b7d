import { defaultConfig } from '@btt/core'

/**
 * Assumptions of the measured energy factor. `secondsPerFrame` (what a frame is billed, in
 * GPU-seconds) is priced for a reference accelerator that draws {@link REFERENCE_WATTS} and earns
 * exactly `referenceGflopsPerWatt` (energy factor 1.0). A node's power is its declared draw, but
 * never less than the floor of its class (a node cannot look efficient by declaring less).
 */
export const REFERENCE_WATTS = 300
/** The least power credited to a node by backend class (W). */
export const MIN_WATTS: Readonly<Record<string, number>> = { cpu: 30, other: 75 }

/**
 * A node's energy efficiency from the coordinator's own measurements: the reference-accelerator
 * seconds of work its paid jobs were billed for, over the time the coordinator measured them
 * taking (request sent to answer received, so the network is counted against the node), per
 * credited watt, scaled so that the reference accelerator at {@link REFERENCE_WATTS} scores
 * `referenceGflopsPerWatt`. Zero when nothing was measured.
 *
 * @param workSeconds - Σ `usage.gpuSeconds` of the node's paid jobs that carry a measured time.
 * @param measuredMicros - Σ the coordinator-measured time of those jobs (µs).
 */
export function measuredGflopsPerWatt(
  workSeconds: number,
  measuredMicros: number,
  declaredWatts: number,
  backend: string | undefined,
): number {
  if (!(workSeconds > 0) || !(measuredMicros > 0)) return 0
  const speed = workSeconds / (measuredMicros / 1e6) // reference accelerators' worth of work
  const watts = Math.max(declaredWatts, MIN_WATTS[backend ?? 'other'] ?? MIN_WATTS.other!)
  const { referenceGflopsPerWatt } = defaultConfig.dividend.energy
  return Math.round((referenceGflopsPerWatt * speed * REFERENCE_WATTS) / watts)
}
