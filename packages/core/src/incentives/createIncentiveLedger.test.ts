import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { defaultConfig, defineConfig } from '../config/parseConfig.js'
import { MONTH, ONE_TOKEN } from '../constants.js'
import { createIncentiveLedger } from './createIncentiveLedger.js'

const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

const t0 = defaultConfig.token.genesis

describe('patient incentives', () => {
  test('points by kind, paid in tokens from the community pool', () => {
    const ledger = createIncentiveLedger()
    const start = ledger.poolRemaining
    expect(start).toBe(2_520_000n * ONE_TOKEN)
    const r = ledger.award({ id: 'e1', patientId: 'p1', kind: 'preventive-visit', at: t0 })
    expect(r).toEqual({ eventId: 'e1', status: 'awarded', points: 100, tokens: 10n * ONE_TOKEN })
    expect(ledger.poolRemaining).toBe(start - 10n * ONE_TOKEN)
  })

  test('the same event never pays twice', () => {
    const ledger = createIncentiveLedger()
    ledger.award({ id: 'e1', patientId: 'p1', kind: 'healthy-lifestyle', at: t0 })
    const again = ledger.award({ id: 'e1', patientId: 'p1', kind: 'healthy-lifestyle', at: t0 })
    expect(again.status).toBe('duplicate')
    expect(ledger.pointsOf('p1')).toBe(5)
  })

  test('monthly cap, reset the next month', () => {
    const ledger = createIncentiveLedger()
    const award = (i: number, at: number) =>
      ledger.award({ id: `v${i}`, patientId: 'p', kind: 'preventive-visit', at })
    for (let i = 0; i < 5; i++) expect(award(i, t0 + i).status).toBe('awarded')
    expect(award(5, t0 + 5)).toMatchObject({ status: 'capped', points: 0 })
    expect(award(6, t0 + MONTH)).toMatchObject({ status: 'awarded', points: 100 })
  })

  test('an exhausted pool pays only what it holds', () => {
    const config = defineConfig({ incentives: { tokensPerPoint: 10n ** 23n } }) // 100k tokens a point
    const ledger = createIncentiveLedger(config)
    const r = ledger.award({ id: 'x', patientId: 'p', kind: 'preventive-visit', at: t0 })
    expect(r.status).toBe('pool-exhausted')
    expect(r.points).toBe(25) // 2.52M / 100k
  })

  test('snapshot and restore keep de-duplication and caps', () => {
    const ledger = createIncentiveLedger()
    ledger.award({ id: 'e1', patientId: 'p1', kind: 'preventive-visit', at: t0 })
    const restored = createIncentiveLedger(defaultConfig, { snapshot: ledger.snapshot() })
    expect(
      restored.award({ id: 'e1', patientId: 'p1', kind: 'preventive-visit', at: t0 }).status,
    ).toBe('duplicate')
    expect(restored.poolRemaining).toBe(ledger.poolRemaining)
  })

  test('unknown kinds are typed errors', () => {
    expect(() =>
      createIncentiveLedger().award({ id: 'e', patientId: 'p', kind: 'skydiving', at: t0 }),
    ).toThrow(coreError('CORE_UNKNOWN_CARE_EVENT'))
  })

  test('property: tokens paid = pool spent, no id pays twice, caps hold', () => {
    const event = fc.record({
      id: fc.integer({ min: 0, max: 40 }).map(String),
      patientId: fc.constantFrom('a', 'b', 'c'),
      kind: fc.constantFrom('preventive-visit', 'treatment-adherence', 'healthy-lifestyle'),
      at: fc.integer({ min: t0, max: t0 + 6 * MONTH }),
    })
    fc.assert(
      fc.property(fc.array(event, { maxLength: 80 }), (events) => {
        const ledger = createIncentiveLedger()
        const start = ledger.poolRemaining
        const paid = new Set<string>()
        let tokens = 0n
        for (const e of events) {
          const r = ledger.award(e)
          if (r.points > 0) {
            expect(paid.has(e.id)).toBe(false)
            paid.add(e.id)
          }
          tokens += r.tokens
        }
        expect(start - ledger.poolRemaining).toBe(tokens)
        for (const p of ['a', 'b', 'c']) expect(ledger.pointsOf(p) <= 20_000).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })
})
