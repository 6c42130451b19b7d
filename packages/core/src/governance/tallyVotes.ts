import { z } from 'zod'
import { defaultConfig } from '../config/parseConfig.js'
import { zAmount } from '../config/primitives.js'
import type { EngineConfig } from '../config/schema.js'
import { BPS } from '../constants.js'
import type { DuplicateVoteErrorType } from '../errors/governance.js'
import { DuplicateVoteError } from '../errors/governance.js'
import type { ValidationErrorType } from '../errors/validation.js'
import { parseWith } from '../errors/validation.js'

const votesSchema = z.array(
  z.strictObject({
    voter: z.string().min(1),
    choice: z.enum(['for', 'against', 'abstain']),
    /** Voting weight, e.g. `stakingBenefits(...).governanceWeight`. */
    weight: zAmount,
  }),
)

export type Vote = z.input<typeof votesSchema>[number]

export type TallyVotesParameters = {
  /** Total voting weight that could have voted (the quorum's base). */
  eligibleWeight: bigint
}

export type TallyVotesReturnType = {
  for: bigint
  against: bigint
  abstain: bigint
  /** for + against + abstain. */
  turnout: bigint
  quorumReached: boolean
  /** Quorum reached and for / (for + against) strictly above the approval threshold. */
  passed: boolean
}

export type TallyVotesErrorType = ValidationErrorType | DuplicateVoteErrorType

/**
 * Token-weighted tally. Quorum: turnout (abstentions included) at least `quorumBps` of the
 * eligible weight. Approval: `for` strictly above `approvalBps` of `for + against`.
 *
 * @param votes - one vote per voter, each with its weight.
 * @param parameters - `{ eligibleWeight }`.
 * @param config - engine config; the model's defaults when omitted.
 * @returns totals and the verdict.
 * @throws {DuplicateVoteError} when a voter appears twice.
 * @example
 * ```ts
 * import { tallyVotes } from '@btt/core'
 * tallyVotes([{ voter: 'a', choice: 'for', weight: 30n }], { eligibleWeight: 100n }).passed // true
 * ```
 */
export function tallyVotes(
  votes: readonly Vote[],
  parameters: TallyVotesParameters,
  config: Pick<EngineConfig, 'governance'> = defaultConfig,
): TallyVotesReturnType {
  const parsed = parseWith(votesSchema, votes, 'votes')
  const eligible = parseWith(zAmount, parameters.eligibleWeight, 'eligible weight')
  const seen = new Set<string>()
  const totals = { for: 0n, against: 0n, abstain: 0n }
  for (const vote of parsed) {
    if (seen.has(vote.voter)) throw new DuplicateVoteError(vote.voter)
    seen.add(vote.voter)
    totals[vote.choice] += vote.weight
  }
  const turnout = totals.for + totals.against + totals.abstain
  const quorumReached =
    turnout * BPS >= BigInt(config.governance.quorumBps) * eligible && turnout > 0n
  const decisive = totals.for + totals.against
  const approved =
    decisive > 0n && totals.for * BPS > BigInt(config.governance.approvalBps) * decisive
  return { ...totals, turnout, quorumReached, passed: quorumReached && approved }
}
