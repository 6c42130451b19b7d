import { describe, expect, test } from 'vitest'
import { allocationAmounts } from '../config/allocationAmounts.js'
import { defaultConfig } from '../config/parseConfig.js'
import { MONTH, ONE_TOKEN, TOTAL_SUPPLY } from '../constants.js'
import { circulatingSupply } from './circulatingSupply.js'

const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

const genesis = defaultConfig.token.genesis
const token = (n: bigint) => n * ONE_TOKEN

describe('circulatingSupply', () => {
  test('nothing circulates at genesis', () => {
    const s = circulatingSupply(defaultConfig, { at: genesis })
    expect(s.circulating).toBe(0n)
    expect(s.locked).toBe(TOTAL_SUPPLY)
  })

  test('investors unlock after their delays, linearly', () => {
    const at = genesis + 18 * MONTH
    const s = circulatingSupply(defaultConfig, { at })
    const by = Object.fromEntries(s.byAllocation.map((a) => [a.id, a.unlocked]))
    // BitHive: 2.1M over 36 months after 6: 12/36 vested
    expect(by.bithive).toBe(token(700_000n))
    // M DAO: 420k over 30 months after 3: 15/30 vested
    expect(by['m-dao']).toBe(token(210_000n))
    expect(by['technology-foundation']).toBe(0n)
    expect(by['ecosystem-fund']).toBe(0n)
  })

  test('everything that has a schedule is out after it ends, the rest as released', () => {
    const at = genesis + 10 * 12 * MONTH
    const attest = { 'year-1': genesis, 'year-2': genesis, 'year-3': genesis, 'year-4': genesis }
    const amounts = Object.fromEntries(
      allocationAmounts(defaultConfig).map((a) => [a.id, a.amount]),
    )
    const s = circulatingSupply(defaultConfig, {
      at,
      attestations: { 'technology-foundation': attest },
      released: { 'community-incentives': token(5n), 'ecosystem-fund': amounts['ecosystem-fund']! },
      burned: token(2n),
    })
    const unassigned = amounts.unassigned!
    const community = amounts['community-incentives']!
    expect(s.circulating).toBe(TOTAL_SUPPLY - unassigned - community + token(5n) - token(2n))
  })

  test('released beyond an allocation is an error', () => {
    expect(() =>
      circulatingSupply(defaultConfig, {
        at: genesis,
        released: { 'ecosystem-fund': TOTAL_SUPPLY },
      }),
    ).toThrow(coreError('CORE_OVER_RELEASED'))
  })
})
