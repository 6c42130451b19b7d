import { BaseError } from './base.js'

export type OverReleasedErrorType = OverReleasedError & { name: 'OverReleasedError' }

/** The recorded released amount is larger than what has vested: the caller's records are wrong. */
export class OverReleasedError extends BaseError {
  override name = 'OverReleasedError' as const
  constructor(parameters: { released: bigint; vested: bigint; at: number }) {
    super(
      `Released amount ${parameters.released} exceeds the ${parameters.vested} vested at ${parameters.at}.`,
      {
        metaMessages: [
          'Check the release records: more has been paid out than the schedule allows.',
        ],
      },
    )
  }
}

export type UnknownMilestoneErrorType = UnknownMilestoneError & { name: 'UnknownMilestoneError' }

/** An attestation names a milestone the schedule does not have. */
export class UnknownMilestoneError extends BaseError {
  override name = 'UnknownMilestoneError' as const
  constructor(id: string, known: readonly string[]) {
    super(`Unknown milestone "${id}".`, { metaMessages: [`Known milestones: ${known.join(', ')}`] })
  }
}
