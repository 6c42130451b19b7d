import { ONE_TOKEN } from '@btt/core'
import { describe, expect, test } from 'vitest'
import { engine } from '../../test/engineFixtures.js'
import { baselineMinter } from './baselineMinter.js'

const pool = 1_000_000n * ONE_TOKEN
const mintAll = (annualGrowth: number, capacity: number, epochs: number) => {
  const mint = baselineMinter(
    { share: 0.7, initialBaseline: 1000, annualGrowth },
    { baselinePool: pool },
    engine,
  )
  const added: bigint[] = []
  for (let e = 0; e < epochs; e++) added.push(mint(capacity, (e + 1) * 86_400, 86_400))
  return added
}

describe('baselineMinter', () => {
  test('without baseline minting it adds nothing', () => {
    expect(baselineMinter(undefined, { baselinePool: pool }, engine)(1e9, 86_400, 86_400)).toBe(0n)
  })

  test('mints as capacity accumulates, never negative, never beyond its pool', () => {
    const added = mintAll(1, 5000, 400)
    expect(added.every((a) => a >= 0n)).toBe(true)
    const total = added.reduce((s, a) => s + a, 0n)
    expect(total).toBeGreaterThan(0n)
    expect(total).toBeLessThanOrEqual(pool)
    // no capacity, nothing minted
    expect(mintAll(1, 0, 10).every((a) => a === 0n)).toBe(true)
  })

  test('a baseline that does not grow (annualGrowth 0) mints finite amounts (was NaN → a failed run)', () => {
    const added = mintAll(0, 1000, 30)
    expect(added.every((a) => a > 0n)).toBe(true)
    // at the baseline exactly, network time runs at clock speed: the same as the limit of growth → 0
    const nearZero = mintAll(1e-12, 1000, 30)
    const a = Number(added.reduce((s, x) => s + x, 0n) / ONE_TOKEN)
    const b = Number(nearZero.reduce((s, x) => s + x, 0n) / ONE_TOKEN)
    expect(Math.abs(a - b) / b).toBeLessThan(1e-3)
  })
})
