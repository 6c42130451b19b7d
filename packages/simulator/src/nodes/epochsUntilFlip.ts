import type { Rng } from '../random/createRng.js'

/**
 * Epochs until a state left with chance `p` per epoch is left (geometric, at least 1): drawn once
 * per flip instead of a coin per node per epoch; the same process, far fewer draws.
 */
export function epochsUntilFlip(p: number, rng: Rng): number {
  if (p >= 1) return 1
  if (p <= 0) return 2 ** 30
  const u = rng.next()
  return Math.min(2 ** 30, Math.max(1, Math.ceil(Math.log1p(-u) / Math.log1p(-p))))
}

/** {@link epochsUntilFlip} with `Math.log1p(-p)` computed once per node (`logStay`): the same draws. */
export function epochsUntilFlipLog(p: number, logStay: number, rng: Rng): number {
  if (p >= 1) return 1
  if (p <= 0) return 2 ** 30
  const u = rng.next()
  return Math.min(2 ** 30, Math.max(1, Math.ceil(Math.log1p(-u) / logStay)))
}
