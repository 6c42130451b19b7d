import { CoreError, defineConfig, initialBurnState } from '@btt/core'
import { describe, expect, test } from 'vitest'
import { engine } from '../../test/engineFixtures.js'
import { createRng } from '../random/createRng.js'
import { stepBurns } from './stepBurns.js'

describe('stepBurns', () => {
  test('no transactions: nothing burned, the state is the same', () => {
    const r = stepBurns(
      initialBurnState,
      { tokenizationTxPerMonth: 0, txValueTokens: 1e6 },
      1,
      engine,
      createRng(1),
    )
    expect(r).toEqual({ state: initialBurnState, burned: 0 })
  })

  test('burns add up; a burn above the supply is @btt/core refusing it', () => {
    const all = defineConfig({ burns: { thresholdValue: '0', rateBps: 10_000 } })
    const r = stepBurns(
      initialBurnState,
      { tokenizationTxPerMonth: 30, txValueTokens: 10 },
      1,
      all,
      createRng(2),
    )
    expect(r.burned).toBeGreaterThan(0)
    expect(r.burned % 10).toBe(0) // whole transactions of 10 tokens, all burned
    expect(() =>
      stepBurns(
        initialBurnState,
        { tokenizationTxPerMonth: 30, txValueTokens: 1e9 },
        1,
        all,
        createRng(2),
      ),
    ).toThrow(CoreError)
  })
})
