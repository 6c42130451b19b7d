import { BaseError } from './base.js'

export type DuplicateVoteErrorType = DuplicateVoteError & { name: 'DuplicateVoteError' }

/** The same voter appears twice in one tally. */
export class DuplicateVoteError extends BaseError {
  override name = 'DuplicateVoteError' as const
  constructor(voter: string) {
    super(`Voter "${voter}" voted more than once in this tally.`)
  }
}
