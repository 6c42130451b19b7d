import { BttError, defineErrorCodes, type ErrorCodeTable, parseWithCode } from '@btt/core'
import type { z } from 'zod'

/** @btt/tokenize's closed table of codes: code → kind and what it means. */
export const tokenizeErrorCodes = defineErrorCodes({
  TOKENIZE_INVALID_ARGUMENT: {
    kind: 'invalid_input',
    description: 'An argument has the wrong type, range or shape (details.issues names each).',
  },
  TOKENIZE_INVALID_VALUATION: {
    kind: 'invalid_input',
    description:
      'A valuation is zero or negative, dated in the future or before the last one, or lacks its method or appraiser.',
  },
  TOKENIZE_DOCUMENT_MISMATCH: {
    kind: 'integrity',
    description: "A document's bytes do not hash to the hash declared or recorded on chain.",
  },
  TOKENIZE_TRANSFER_RESTRICTED: {
    kind: 'forbidden',
    description:
      'The token refuses the transfer (ERC-1404 code and message in details): unverified or expired investor, frozen wallet, holding limit, pause.',
  },
  TOKENIZE_QUOTE_EXPIRED: {
    kind: 'conflict',
    description: 'The trade quote expired before it was settled; nothing was sent.',
  },
  TOKENIZE_ALREADY_SETTLED: {
    kind: 'conflict',
    description:
      'A trade, distribution or revaluation was recorded already (by this id or index); it is not done or paid twice.',
  },
  TOKENIZE_INSUFFICIENT_FUNDS: {
    kind: 'conflict',
    description:
      'A party lacks the balance or allowance the operation needs (settlement currency or tokens).',
  },
  TOKENIZE_NO_HOLDERS: {
    kind: 'invalid_input',
    description: 'A distribution has no holder with a balance at the record block.',
  },
  TOKENIZE_ASSET_NOT_FOUND: {
    kind: 'not_found',
    description: 'The asset is not in the registry.',
  },
  TOKENIZE_ASSET_EXISTS: {
    kind: 'conflict',
    description: 'An asset with this id is registered already, or is tokenized already.',
  },
  TOKENIZE_NOT_AGENT: {
    kind: 'forbidden',
    description: "The sending key does not hold the role the operation needs (the token's agent).",
  },
  TOKENIZE_LEDGER_FAILED: {
    kind: 'unavailable',
    description:
      'The ledger refused or could not confirm a fee entry (the chain part, if any, is done; details say what).',
  },
  TOKENIZE_CHAIN_REVERTED: {
    kind: 'conflict',
    description: 'A transaction reverted on chain for a reason not listed above (details.revert).',
  },
  TOKENIZE_CHAIN_UNAVAILABLE: {
    kind: 'unavailable',
    description: 'The EVM node could not be reached or answered with an error.',
  },
  TOKENIZE_CHAIN_TIMEOUT: {
    kind: 'timeout',
    description: 'An RPC call or a confirmation did not finish in the time allowed.',
  },
  TOKENIZE_DEPLOYMENT_EXISTS: {
    kind: 'conflict',
    description: 'The deployment file exists already; it is not overwritten.',
  },
})

export type TokenizeErrorCode = keyof typeof tokenizeErrorCodes

/** What every function of @btt/tokenize may throw. */
export type TokenizeErrorType = TokenizeError

/** The one error class @btt/tokenize throws; `code` is from {@link tokenizeErrorCodes}. */
export class TokenizeError extends BttError<TokenizeErrorCode> {
  static override codes: ErrorCodeTable = tokenizeErrorCodes
  override name = 'TokenizeError'
}

/** Parses `value` with `schema`, or throws `TOKENIZE_INVALID_ARGUMENT` with the issues. */
export function parseTokenize<S extends z.ZodType>(
  schema: S,
  value: unknown,
  subject: string,
): z.output<S> {
  return parseWithCode(schema, value, subject, TokenizeError, 'TOKENIZE_INVALID_ARGUMENT')
}
