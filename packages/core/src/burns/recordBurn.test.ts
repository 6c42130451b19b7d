import fc from 'fast-check'
import { expect, test } from 'vitest'
import { defineConfig } from '../config/parseConfig.js'
import { ONE_TOKEN } from '../constants.js'
import { initialBurnState, recordBurn } from './recordBurn.js'

const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

test('burns 0.1% of high-value tokenization transactions, tracking the total', () => {
  const below = recordBurn(initialBurnState, { value: 99_999n * ONE_TOKEN })
  expect(below.burn).toBe(0n)
  expect(below.state).toEqual(initialBurnState)
  const first = recordBurn(initialBurnState, { value: 200_000n * ONE_TOKEN })
  expect(first.burn).toBe(200n * ONE_TOKEN)
  const second = recordBurn(first.state, { value: 100_000n * ONE_TOKEN })
  expect(second.state).toEqual({ burned: 300n * ONE_TOKEN, count: 2 })
  expect(first.state).toEqual({ burned: 200n * ONE_TOKEN, count: 1 }) // not mutated
})

test('the burned total can never pass the supply', () => {
  const config = defineConfig({ burns: { thresholdValue: 0n, rateBps: 10_000 } })
  expect(() =>
    recordBurn({ burned: config.token.totalSupply, count: 1 }, { value: 1n }, config),
  ).toThrow(coreError('CORE_BURN_EXCEEDS_SUPPLY'))
})

test('property: burned total is the sum of burns and grows monotonically', () => {
  fc.assert(
    fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 25n }), { maxLength: 30 }), (values) => {
      let state = initialBurnState
      let sum = 0n
      for (const value of values) {
        const r = recordBurn(state, { value })
        expect(r.state.burned >= state.burned).toBe(true)
        expect(r.burn <= value).toBe(true)
        sum += r.burn
        state = r.state
      }
      expect(state.burned).toBe(sum)
    }),
    { numRuns: 2000 },
  )
})
