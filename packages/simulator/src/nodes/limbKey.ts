import { LIMB } from './splitProducts.js'

const INV = 1 / LIMB

/**
 * Weight `i`'s key as the product loops compute it (columns 3–5 of base × G, G's limbs at
 * `at`): the same integer columns, so the same double, whichever loop took the product.
 */
export function limbKey(base: Float64Array, i: number, g: Float64Array, at: number): number {
  const x0 = base[i * 4]!
  const x1 = base[i * 4 + 1]!
  const x2 = base[i * 4 + 2]!
  const x3 = base[i * 4 + 3]!
  let t = x0 * g[at + 3]! + x1 * g[at + 2]! + x2 * g[at + 1]! + x3 * g[at]!
  let c = Math.floor(t * INV)
  const v3 = t - c * LIMB
  t = x0 * g[at + 4]! + x1 * g[at + 3]! + x2 * g[at + 2]! + x3 * g[at + 1]! + c
  c = Math.floor(t * INV)
  const v4 = t - c * LIMB
  t = x0 * g[at + 5]! + x1 * g[at + 4]! + x2 * g[at + 3]! + x3 * g[at + 2]! + c
  c = Math.floor(t * INV)
  const v5 = t - c * LIMB
  return (v5 * LIMB + v4 + v3 * INV) * (INV * INV)
}
