import { amountArgument } from '../arguments.js'
import { describe } from '../describe.js'
import { CoreError } from '../errors.js'

export type AllocateParameters = readonly bigint[]
export type AllocateReturnType = bigint[]
export type AllocateErrorType = CoreError

/**
 * Splits `amount` by `weights` exactly, with the largest-remainder (Hamilton) method.
 *
 * Each share starts as `floor(amount * weight / sum)`; the units left over (always fewer than
 * the number of weights) go one each to the shares with the largest remainders, ties to the
 * lower index. So the shares sum to exactly `amount`, each is within one unit of its exact
 * rational value, equal weights get equal shares up to one unit (earlier first), and a zero
 * weight gets nothing. Runs in O(n): the cut-off remainder is found by selection, not by sorting.
 *
 * @param amount - non-negative amount in base units.
 * @param weights - non-empty list of non-negative weights, not all zero.
 * @returns one share per weight, in the same order.
 * @throws {CoreError} `CORE_INVALID_WEIGHTS` when the weights are empty, negative or all zero;
 * `CORE_NEGATIVE_AMOUNT` when `amount` is below zero; `CORE_INVALID_ARGUMENT` when an argument
 * is not a bigint (or a list of them).
 * @example
 * ```ts
 * import { allocate } from '@btt/core'
 * allocate(9999n, [75n, 25n]) // [7499n, 2500n]
 * allocate(100n, [1n, 1n, 1n]) // [34n, 33n, 33n]
 * ```
 */
export function allocate(amount: bigint, weights: AllocateParameters): AllocateReturnType {
  amountArgument(amount, 'The amount to allocate')
  if (!Array.isArray(weights))
    throw new CoreError(
      'CORE_INVALID_ARGUMENT',
      `The weights must be an array of bigints, got ${describe(weights)}.`,
      {
        details: { got: describe(weights) },
      },
    )
  const n = weights.length
  if (n === 0) throw weightsError('the list of weights is empty')
  let total = 0n
  for (let i = 0; i < n; i++) {
    const weight: unknown = weights[i]
    if (typeof weight !== 'bigint')
      throw new CoreError(
        'CORE_INVALID_ARGUMENT',
        `Weight ${i} must be a bigint, got ${describe(weight)}.`,
        {
          details: { index: i, got: describe(weight) },
        },
      )
    if (weight < 0n) throw weightsError(`weight ${i} is negative (${weight})`, { index: i })
    total += weight
  }
  if (total === 0n) throw weightsError('every weight is zero')

  const shares = new Array<bigint>(n)
  const remainders = new Array<bigint>(n)
  let assigned = 0n
  for (let i = 0; i < n; i++) {
    const product = amount * weights[i]!
    const share = product / total
    shares[i] = share
    remainders[i] = product - share * total
    assigned += share
  }
  const left = Number(amount - assigned)
  if (left === 0) return shares

  // The `left` largest remainders get one more unit. Find the cut-off value, then give a unit
  // to every remainder above it and to the earliest ones equal to it.
  const cutoff = kthLargest(remainders.slice(), left)
  let above = 0
  for (let i = 0; i < n; i++) if (remainders[i]! > cutoff) above++
  let atCutoff = left - above
  for (let i = 0; i < n; i++) {
    const remainder = remainders[i]!
    if (remainder > cutoff || (remainder === cutoff && atCutoff-- > 0)) shares[i] = shares[i]! + 1n
  }
  return shares
}

function weightsError(reason: string, details: Record<string, unknown> = {}): CoreError {
  return new CoreError('CORE_INVALID_WEIGHTS', `Cannot split by these weights: ${reason}.`, {
    details: { reason, ...details },
    metaMessages: ['Weights must be a non-empty list of non-negative bigints, not all zero.'],
  })
}

/** The k-th largest value (1-based) of `values`; reorders `values`. Three-way quickselect. */
function kthLargest(values: bigint[], k: number): bigint {
  let lo = 0
  let hi = values.length - 1
  let target = k - 1 // index in descending order
  for (;;) {
    if (lo === hi) return values[lo]!
    const pivot = medianOfThree(values[lo]!, values[(lo + hi) >>> 1]!, values[hi]!)
    // Partition [lo, hi] into > pivot | == pivot | < pivot.
    let lt = lo
    let i = lo
    let gt = hi
    while (i <= gt) {
      const v = values[i]!
      if (v > pivot) {
        values[i] = values[lt]!
        values[lt] = v
        lt++
        i++
      } else if (v < pivot) {
        values[i] = values[gt]!
        values[gt] = v
        gt--
      } else i++
    }
    const greater = lt - lo
    const equal = gt - lt + 1
    if (target < greater) hi = lt - 1
    else if (target < greater + equal) return pivot
    else {
      target -= greater + equal
      lo = gt + 1
    }
  }
}

function medianOfThree(a: bigint, b: bigint, c: bigint): bigint {
  if (a < b) return b < c ? b : a < c ? c : a
  return a < c ? a : b < c ? c : b
}
