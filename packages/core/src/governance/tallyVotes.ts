import { z } from 'zod'
import { argument, zUnits } from '../arguments.js'
import { defaultConfig } from '../config/parseConfig.js'
import { zAmount } from '../config/primitives.js'
import type { EngineConfig } from '../config/schema.js'
import { useConfig } from '../config/useConfig.js'
import { BPS } from '../constants.js'
import { CoreError } from '../errors.js'

const votesSchema = z.array(
  z.strictObject({
    voter: z.string().min(1),
    choice: z.enum(['for', 'against', 'abstain']),
    /** Voting weight, e.g. `stakingBenefits(...).governanceWeight`. */
    weight: zAmount,
  }),
)

const tallySchema = z.strictObject({ eligibleWeight: zUnits })

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

export type TallyVotesErrorType = CoreError

/**
 * Token-weighted tally. Quorum: turnout (abstentions included) at least `quorumBps` of the
 * eligible weight. Approval: `for` strictly above `approvalBps` of `for + against`.
 *
 * @param votes - one vote per voter, each with its weight.
 * @param parameters - `{ eligibleWeight }`.
 * @param config - engine config; the model's defaults when omitted.
 * @returns totals and the verdict.
 * @throws {CoreError} `CORE_DUPLICATE_VOTE` when a voter appears twice; `CORE_INVALID_ARGUMENT`
 * or `CORE_INVALID_CONFIG` for invalid arguments.
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
  const parsed = argument(votesSchema, votes, 'votes')
  const { eligibleWeight: eligible } = argument(tallySchema, parameters, 'tally parameters')
  const governance = useConfig(config, ['governance']).governance
  const seen = new Set<string>()
  const totals = { for: 0n, against: 0n, abstain: 0n }
  for (const vote of parsed) {
    if (seen.has(vote.voter))
      throw new CoreError(
        'CORE_DUPLICATE_VOTE',
        `Voter "${vote.voter}" voted more than once in this tally.`,
        {
          details: { voter: vote.voter },
        },
      )
    seen.add(vote.voter)
    totals[vote.choice] += vote.weight
  }
  const turnout = totals.for + totals.against + totals.abstain
  const quorumReached = turnout * BPS >= BigInt(governance.quorumBps) * eligible && turnout > 0n
  const decisive = totals.for + totals.against
  const approved = decisive > 0n && totals.for * BPS > BigInt(governance.approvalBps) * decisive
  return { ...totals, turnout, quorumReached, passed: quorumReached && approved }
}
