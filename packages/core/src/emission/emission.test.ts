import { describe, expect, test } from 'vitest'
import { defaultConfig, defineConfig } from '../config/parseConfig.js'
import { DAY, ONE_TOKEN, YEAR } from '../constants.js'
import { exp2Neg, FIXED_SCALE } from '../math/exp2.js'
import { emittedAmount, epochEmission } from './emittedAmount.js'
import { epochEmissions } from './epochEmissions.js'
import { miningEmissionSchedule } from './miningEmissionSchedule.js'

const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n)

describe('mining-pool emission', () => {
  const schedule = miningEmissionSchedule(defaultConfig)

  test('the default pool is 6.3M tokens over 8 years of daily epochs, halving every 2 years', () => {
    expect(schedule.total).toBe(6_300_000n * ONE_TOKEN)
    expect(schedule).toMatchObject({ duration: 8 * YEAR, epochLength: DAY, curve: 'halving' })
    const epochs = epochEmissions(schedule)
    expect(epochs.length).toBe(Math.ceil((8 * YEAR) / DAY)) // 2922, the last one partial
    expect(sum(epochs)).toBe(schedule.total)
  })

  test('halving: each 2-year era emits half the one before (to within the straddling epochs)', () => {
    const eras = [0, 1, 2, 3].map(
      (k) =>
        emittedAmount(schedule, { at: schedule.start + (k + 1) * 2 * YEAR }) -
        emittedAmount(schedule, { at: schedule.start + k * 2 * YEAR }),
    )
    // 8:4:2:1 of 6.3M → 3.36M, 1.68M, 0.84M, 0.42M (epochs close at day ends, so not exact)
    const expected = [3_360_000n, 1_680_000n, 840_000n, 420_000n].map((t) => t * ONE_TOKEN)
    eras.forEach((era, k) => {
      const diff = era > expected[k]! ? era - expected[k]! : expected[k]! - era
      expect(diff < 5_000n * ONE_TOKEN).toBe(true)
    })
    const first = epochEmission(schedule, { epoch: 0 })
    const afterHalving = epochEmission(schedule, { epoch: 731 })
    expect(first / afterHalving).toBe(2n)
  })

  test('emittedAmount: 0 until the first epoch closes, the pool at the end, nothing more after', () => {
    expect(emittedAmount(schedule, { at: 0 })).toBe(0n)
    expect(emittedAmount(schedule, { at: schedule.start + DAY - 1 })).toBe(0n)
    expect(emittedAmount(schedule, { at: schedule.start + DAY })).toBe(
      epochEmission(schedule, { epoch: 0 }),
    )
    expect(emittedAmount(schedule, { at: schedule.start + 8 * YEAR })).toBe(schedule.total)
    expect(emittedAmount(schedule, { at: schedule.start + 80 * YEAR })).toBe(schedule.total)
    expect(epochEmission(schedule, { epoch: 5000 })).toBe(0n)
  })

  test('decay has the Filecoin simple-minting shape: the rate halves every half-life', () => {
    const decay = miningEmissionSchedule(
      defineConfig({ emission: { curve: 'decay', halfLife: 2 * YEAR } }),
    )
    const epochs = epochEmissions(decay)
    expect(sum(epochs)).toBe(decay.total)
    const ratio = Number((epochs[0]! * 1_000_000n) / epochs[730]!) / 1_000_000
    expect(ratio).toBeCloseTo(2 ** (730 / 730.485), 4)
  })

  test('linear emits equal daily amounts and a shorter last epoch', () => {
    const linear = miningEmissionSchedule(defineConfig({ emission: { curve: 'linear' } }))
    const epochs = epochEmissions(linear)
    expect(epochs[0]! - epochs[1000]!).toBeLessThanOrEqual(1n)
    expect(epochs.at(-1)! < epochs[0]!).toBe(true)
  })

  test('a curve without its parameter is a validation error', () => {
    expect(() =>
      epochEmissions({ total: 1n, start: 0, duration: 10, epochLength: 1, curve: 'halving' }),
    ).toThrow(/halvingPeriod/)
    expect(() => epochEmission(schedule, { epoch: -1 })).toThrow(/epoch/)
  })
})

describe('exp2Neg', () => {
  test('agrees with Math.pow to double precision', () => {
    for (const [n, d] of [
      [1n, 1n],
      [1n, 2190n],
      [86_400n, 6n * 31_556_952n],
      [7n, 3n],
      [0n, 5n],
    ] as const) {
      const got = Number((exp2Neg(n, d) * 10n ** 18n) / FIXED_SCALE) / 1e18
      expect(got).toBeCloseTo(2 ** -(Number(n) / Number(d)), 14)
    }
  })
})
