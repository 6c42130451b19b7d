import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createRng } from '../random/createRng.js'
import { epochsUntilFlip } from './epochsUntilFlip.js'
import {
  inequality,
  inequalityOfSorted,
  mergeSorted,
  nearestRank,
  quantileOf,
} from './nodeMetrics.js'

describe('inequality', () => {
  test('equal rewards: Gini 0, the top 10% take 10%', () => {
    const r = inequality(new Float64Array(50).fill(3), 50)
    expect(r.gini).toBeCloseTo(0, 12)
    expect(r.top10Share).toBeCloseTo(0.1, 12)
  })
  test('one node takes everything: Gini (n − 1) / n, top 10% take all', () => {
    const v = new Float64Array(20)
    v[7] = 5
    const r = inequality(v, 20)
    expect(r.gini).toBeCloseTo(19 / 20, 12)
    expect(r.top10Share).toBe(1)
  })
  test('Gini lies in [0, 1) and the top-10% share in [0.1, 1] for any non-negative rewards', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (xs) => {
          fc.pre(xs.some((x) => x > 0))
          const r = inequality(Float64Array.from(xs), xs.length)
          expect(r.gini).toBeGreaterThanOrEqual(-1e-12)
          expect(r.gini).toBeLessThan(1)
          expect(r.top10Share).toBeGreaterThanOrEqual(0.1 - 1e-12)
          expect(r.top10Share).toBeLessThanOrEqual(1 + 1e-12)
        },
      ),
    )
  })
})

test('quantileOf picks by nearest rank, as a sort would', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 300 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (xs, q) => {
        const sorted = [...xs].sort((a, b) => a - b)
        const k = Math.round(q * (xs.length - 1))
        expect(quantileOf(Float64Array.from(xs), xs.length, q)).toBe(sorted[k])
      },
    ),
  )
  expect(Number.isNaN(quantileOf(new Float64Array(3), 0, 0.5))).toBe(true)
})

test('quantiles searched from the rank below give what a sort gives (values with ties)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 300 }),
      (ints) => {
        const xs = ints.map((x) => x / 4)
        const sorted = [...xs].sort((a, b) => a - b)
        const v = Float64Array.from(xs)
        const n = xs.length
        expect(quantileOf(v, n, 0.05)).toBe(sorted[nearestRank(n, 0.05)])
        expect(quantileOf(v, n, 0.5, nearestRank(n, 0.05))).toBe(sorted[nearestRank(n, 0.5)])
        expect(quantileOf(v, n, 0.95, nearestRank(n, 0.5))).toBe(sorted[nearestRank(n, 0.95)])
      },
    ),
  )
})

test('the merged sorted runs of groups give the same inequality as all values sorted', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 50 }), {
        minLength: 1,
        maxLength: 4,
      }),
      (groups) => {
        const all = groups.flat()
        fc.pre(all.length > 0)
        const runs = Float64Array.from(groups.flatMap((g) => [...g].sort((a, b) => a - b)))
        const ends: number[] = []
        for (const g of groups) ends.push((ends[ends.length - 1] ?? 0) + g.length)
        const merged = new Float64Array(all.length)
        mergeSorted(runs, ends, merged)
        expect(inequalityOfSorted(merged, all.length)).toEqual(
          inequality(Float64Array.from(all), all.length),
        )
      },
    ),
  )
})

test('the up/down process reaches its availability and its mean outage length', () => {
  const rng = createRng(42)
  const availability = 0.9
  const meanOutage = 4
  const pRecover = 1 / meanOutage
  const pFail = (pRecover * (1 - availability)) / availability
  let up = true
  let t = 0
  let upTime = 0
  let outages = 0
  let downTime = 0
  while (t < 2_000_000) {
    const stay = epochsUntilFlip(up ? pFail : pRecover, rng)
    if (up) upTime += stay
    else {
      downTime += stay
      outages++
    }
    t += stay
    up = !up
  }
  expect(upTime / t).toBeCloseTo(availability, 2)
  expect(downTime / outages).toBeCloseTo(meanOutage, 1)
  expect(epochsUntilFlip(1, rng)).toBe(1)
  expect(epochsUntilFlip(0, rng)).toBe(2 ** 30)
})
