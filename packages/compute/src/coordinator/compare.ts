import type { Tensor } from '../network/frame.js'

/** Default tolerance when a model's manifest names none: |a − b| ≤ tol × (1 + |b|). */
export const DEFAULT_TOLERANCE = 1e-4

/**
 * Whether two sets of output tensors agree: the same names and dims, and every value within
 * `tolerance` (relative above 1, absolute below); NaN never agrees.
 */
export function outputsAgree(
  a: readonly Tensor[],
  b: readonly Tensor[],
  tolerance: number,
): boolean {
  if (a.length !== b.length) return false
  for (let t = 0; t < a.length; t++) {
    const x = a[t]!
    const y = b[t]!
    if (x.name !== y.name || x.dims.join(',') !== y.dims.join(',')) return false
    if (x.data.length !== y.data.length) return false
    for (let i = 0; i < x.data.length; i++) {
      const u = x.data[i]!
      const v = y.data[i]!
      if (!(Math.abs(u - v) <= tolerance * (1 + Math.abs(v)))) return false
    }
  }
  return true
}
