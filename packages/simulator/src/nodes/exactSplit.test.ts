import { allocate } from '@btt/core'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { exactSplit, type SplitJob, shareOf, splitBuffers } from './exactSplit.js'

function toLimbs(values: bigint[], limbs: number): Float64Array {
  const out = new Float64Array(values.length * limbs)
  values.forEach((v, i) => {
    for (let a = 0; a < limbs; a++) out[i * limbs + a] = Number((v >> BigInt(24 * a)) & 0xffffffn)
  })
  return out
}

function shares(job: SplitJob, amount: bigint) {
  const out = splitBuffers(job.n)
  const paid = exactSplit(job, amount, out)
  return {
    paid,
    fallbacks: out.fallbacks,
    shares: Array.from({ length: job.n }, (_, i) => shareOf(out, i)),
  }
}

describe('exactSplit', () => {
  test('equals allocate to the unit on random weights, groups and amounts', () => {
    let fast = 0
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: (1n << 94n) - 1n }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.bigInt({ min: 1n, max: 1_500_000n }), { minLength: 1, maxLength: 5 }),
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (bases, mult, amount, salt) => {
          fc.pre(bases.some((b) => b > 0n))
          const group = Int32Array.from(bases, (_, i) => (i * 7 + salt) % mult.length)
          const job: SplitJob = { n: bases.length, limbs: 4, base: toLimbs(bases, 4), group, mult }
          const weights = bases.map((b, i) => b * mult[group[i]!]!)
          const r = shares(job, amount)
          if (r.fallbacks === 0) fast++
          expect(r.shares).toEqual(allocate(amount, weights))
        },
      ),
      { numRuns: 400 },
    )
    expect(fast).toBeGreaterThan(100)
  })

  test('narrow weights (below 2^48, the revenue split) take the short product and still equal allocate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }), { minLength: 1, maxLength: 80 }),
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        (bases, amount) => {
          fc.pre(bases.some((b) => b > 0n))
          const job: SplitJob = {
            n: bases.length,
            limbs: 4,
            base: toLimbs(bases, 4),
            group: new Int32Array(bases.length),
            mult: [1n],
          }
          expect(shares(job, amount).shares).toEqual(allocate(amount, bases))
        },
      ),
      { numRuns: 400 },
    )
  })

  test('the float64 shortcut (one group, weights summing below 2^53): shares that are whole units, or within their error of one, still equal allocate', () => {
    const cases: [bigint[], bigint][] = [
      [[1n, 1n, 2n], 4n], // every share a whole unit: no fraction to trust, the limb path decides
      [[3n, 5n, 7n], 15n * 1_000_000n],
      [[1n, 2n ** 52n - 2n], 2n ** 47n], // a weight near the float64 limit, an amount near 2^48
      [[2n ** 52n, 2n ** 52n], 3n], // the total at 2^53: not the shortcut
      [Array.from({ length: 40 }, (_, i) => BigInt(i * i + 1)), 10n ** 12n + 7n],
    ]
    for (const [bases, amount] of cases) {
      const job: SplitJob = {
        n: bases.length,
        limbs: 4,
        base: toLimbs(bases, 4),
        group: new Int32Array(bases.length),
        mult: [1n],
      }
      expect(shares(job, amount).shares).toEqual(allocate(amount, bases))
    }
  })

  test('identical weights tie to the lower index, as allocate does', () => {
    const bases = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 10n ** 20n : 7n * 10n ** 19n))
    const job: SplitJob = {
      n: 50,
      limbs: 4,
      base: toLimbs(bases, 4),
      group: new Int32Array(50),
      mult: [1_300_000n],
    }
    const r = shares(job, 10n ** 21n + 37n)
    expect(r.fallbacks).toBe(0)
    expect(r.shares).toEqual(
      allocate(
        10n ** 21n + 37n,
        bases.map((b) => b * 1_300_000n),
      ),
    )
  })

  test('all weights zero: nothing is split', () => {
    const job: SplitJob = {
      n: 2,
      limbs: 2,
      base: new Float64Array(4),
      group: new Int32Array(2),
      mult: [1n],
    }
    expect(shares(job, 100n).paid).toBe(false)
  })
})
