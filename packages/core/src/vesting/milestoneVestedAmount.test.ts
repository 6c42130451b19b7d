import { describe, expect, test } from 'vitest'
import { milestoneVestedAmount } from './milestoneVestedAmount.js'

const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

const schedule = {
  total: 1001n,
  start: 100,
  tranches: [
    { id: 'a', shareBps: 5000, notBefore: 10 },
    { id: 'b', shareBps: 2500, notBefore: 20 },
    { id: 'c', shareBps: 2500, notBefore: 30 },
  ],
}

test('a tranche unlocks once attested and not before its time', () => {
  expect(milestoneVestedAmount(schedule, { at: 200, attestations: {} }).vested).toBe(0n)
  // attested early: waits for notBefore
  expect(milestoneVestedAmount(schedule, { at: 109, attestations: { a: 50 } }).vested).toBe(0n)
  expect(milestoneVestedAmount(schedule, { at: 110, attestations: { a: 50 } }).vested).toBe(501n)
  // attested late: unlocks at attestation
  const late = milestoneVestedAmount(schedule, { at: 150, attestations: { a: 50, c: 160 } })
  expect(late.vested).toBe(501n)
  expect(late.tranches.find((t) => t.id === 'c')).toMatchObject({ unlocked: false, unlockAt: 160 })
})

test('all tranches together are exactly the total', () => {
  const all = milestoneVestedAmount(schedule, { at: 1000, attestations: { a: 0, b: 0, c: 0 } })
  expect(all.vested).toBe(1001n)
  expect(all.tranches.map((t) => t.amount)).toEqual([501n, 250n, 250n])
})

test('an attestation of an unknown milestone is an error', () => {
  expect(() => milestoneVestedAmount(schedule, { at: 0, attestations: { z: 1 } })).toThrow(
    coreError('CORE_UNKNOWN_MILESTONE'),
  )
})

test('shares that do not sum to 100% are rejected', () => {
  expect(() =>
    milestoneVestedAmount(
      { ...schedule, tranches: [{ id: 'a', shareBps: 9000, notBefore: 0 }] },
      { at: 0, attestations: {} },
    ),
  ).toThrow(/milestone shares must sum to 10000 bps, got 9000/)
})

describe('milestoneVestedAmount refuses a bad time or attestation', () => {
  // Before the fix `at: NaN` gave vested 0n, and strings were compared as numbers ('200' >= 110).
  test.each([
    ['NaN at', { at: Number.NaN, attestations: { a: 0 } }],
    ['string at', { at: '200', attestations: { a: 0 } }],
    ['fractional at', { at: 110.5, attestations: { a: 0 } }],
    ['negative at', { at: -1, attestations: {} }],
    ['NaN attestation', { at: 200, attestations: { a: Number.NaN } }],
    ['string attestation', { at: 200, attestations: { a: '50' } }],
    ['Infinity attestation', { at: 200, attestations: { a: Number.POSITIVE_INFINITY } }],
    ['attestations missing', { at: 200 }],
    ['parameters null', null],
  ])('%s', (_, parameters) => {
    expect(() => milestoneVestedAmount(schedule, parameters as never)).toThrow(
      expect.objectContaining({ name: 'CoreError', code: 'CORE_INVALID_ARGUMENT' }),
    )
  })
})
