import { describe, expect, test } from 'vitest'
import { MONTH, ONE_TOKEN } from '../constants.js'
import { tallyVotes } from '../governance/tallyVotes.js'
import { stakingBenefits } from './stakingBenefits.js'

const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

const token = (n: bigint) => n * ONE_TOKEN

describe('stakingBenefits', () => {
  test('tier by lock length and amount, while the lock lasts', () => {
    const position = { amount: token(20_000n), lockedAt: 0, lockMonths: 12 }
    const now = stakingBenefits(position, { at: MONTH })
    expect(now.tier.id).toBe('silver')
    expect(now.governanceWeight).toBe(token(30_000n))
    expect(now.feeDiscountBps).toBe(2000)
    expect(now.priority).toBe('priority')
    const after = stakingBenefits(position, { at: 12 * MONTH })
    expect(after.locked).toBe(false)
    expect(after.tier.id).toBe('none')
    expect(after.governanceWeight).toBe(token(20_000n))
  })

  test('a long lock with a small stake gets the tier its amount allows', () => {
    expect(
      stakingBenefits({ amount: token(5_000n), lockedAt: 0, lockMonths: 48 }, { at: 0 }).tier.id,
    ).toBe('bronze')
  })
})

describe('tallyVotes', () => {
  test('quorum counts abstentions; approval needs strictly more than the threshold', () => {
    const tie = tallyVotes(
      [
        { voter: 'a', choice: 'for', weight: 10n },
        { voter: 'b', choice: 'against', weight: 10n },
      ],
      { eligibleWeight: 100n },
    )
    expect(tie).toMatchObject({ turnout: 20n, quorumReached: true, passed: false })
    const low = tallyVotes(
      [
        { voter: 'a', choice: 'for', weight: 15n },
        { voter: 'b', choice: 'abstain', weight: 4n },
      ],
      { eligibleWeight: 100n },
    )
    expect(low).toMatchObject({ quorumReached: false, passed: false })
    const pass = tallyVotes(
      [
        { voter: 'a', choice: 'for', weight: 15n },
        { voter: 'b', choice: 'abstain', weight: 5n },
      ],
      { eligibleWeight: 100n },
    )
    expect(pass).toMatchObject({ quorumReached: true, passed: true })
  })

  test('staking multipliers weigh votes', () => {
    const whale = stakingBenefits(
      { amount: token(100_000n), lockedAt: 0, lockMonths: 24 },
      { at: 0 },
    )
    const small = stakingBenefits(
      { amount: token(150_000n), lockedAt: 0, lockMonths: 0 },
      { at: 0 },
    )
    const r = tallyVotes(
      [
        { voter: 'whale', choice: 'for', weight: whale.governanceWeight },
        { voter: 'small', choice: 'against', weight: small.governanceWeight },
      ],
      { eligibleWeight: token(400_000n) },
    )
    expect(r.passed).toBe(true) // 200k vs 150k
  })

  test('a voter voting twice is an error', () => {
    expect(() =>
      tallyVotes(
        [
          { voter: 'a', choice: 'for', weight: 1n },
          { voter: 'a', choice: 'against', weight: 1n },
        ],
        { eligibleWeight: 2n },
      ),
    ).toThrow(coreError('CORE_DUPLICATE_VOTE'))
  })
})
