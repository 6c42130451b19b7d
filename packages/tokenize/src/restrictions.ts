/**
 * ERC-1404 restriction codes of the permissioned token, with their messages: the same table as
 * contracts/TransferRestrictions.sol (a test compares them, code by code, on chain).
 */
export const restrictionCodes = Object.freeze({
  SUCCESS: 0,
  PAUSED: 1,
  SENDER_FROZEN: 2,
  RECIPIENT_FROZEN: 3,
  INSUFFICIENT_UNFROZEN: 4,
  SENDER_NOT_VERIFIED: 5,
  RECIPIENT_NOT_VERIFIED: 6,
  RECIPIENT_NOT_ACCREDITED: 7,
  HOLDING_LIMIT: 8,
} as const)

export type RestrictionCode = (typeof restrictionCodes)[keyof typeof restrictionCodes]

const messages: Readonly<Record<number, string>> = Object.freeze({
  0: 'No restriction.',
  1: 'Transfers of this token are paused.',
  2: "The sender's wallet is frozen.",
  3: "The recipient's wallet is frozen.",
  4: "The amount is more than the sender's unfrozen balance.",
  5: 'The sender has no valid identity claim (never verified, removed or expired).',
  6: 'The recipient has no valid identity claim (never verified, removed or expired).',
  7: 'The recipient is not an accredited investor.',
  8: 'The transfer would take the recipient above the holding limit.',
})

/**
 * The human message for a restriction code, as the token's `messageForTransferRestriction`.
 *
 * @param code - an ERC-1404 code.
 * @returns the message ('Unknown restriction code.' for a code the token does not use).
 * @example
 * ```ts
 * import { messageForTransferRestriction } from '@btt/tokenize'
 * messageForTransferRestriction(1) // 'Transfers of this token are paused.'
 * ```
 */
export function messageForTransferRestriction(code: number): string {
  return messages[code] ?? 'Unknown restriction code.'
}

/** What the compliance rule reads: the token's and both parties' state at one block. */
export type TransferState = {
  paused: boolean
  holdingLimit: bigint
  accreditedOnly: boolean
  from: { frozen: boolean; frozenTokens: bigint; balance: bigint; verified: boolean }
  to: { frozen: boolean; balance: bigint; verified: boolean; accredited: boolean }
}

/**
 * The token's compliance rule, in TypeScript: the code `detectTransferRestriction` gives on chain
 * for the same state, checked in the same order.
 *
 * @param state - the state at one block.
 * @param amount - base units to send.
 * @returns 0 when the transfer passes, else the first restriction's code.
 * @example
 * ```ts
 * import { restrictionCode } from '@btt/tokenize'
 * const party = { frozen: false, frozenTokens: 0n, balance: 10n, verified: true, accredited: true }
 * restrictionCode({ paused: true, holdingLimit: 0n, accreditedOnly: false, from: party, to: party }, 1n) // 1
 * ```
 */
export function restrictionCode(state: TransferState, amount: bigint): RestrictionCode {
  const c = restrictionCodes
  if (state.paused) return c.PAUSED
  if (state.from.frozen) return c.SENDER_FROZEN
  if (state.to.frozen) return c.RECIPIENT_FROZEN
  if (amount > state.from.balance - state.from.frozenTokens) return c.INSUFFICIENT_UNFROZEN
  if (!state.from.verified) return c.SENDER_NOT_VERIFIED
  if (!state.to.verified) return c.RECIPIENT_NOT_VERIFIED
  if (state.accreditedOnly && !state.to.accredited) return c.RECIPIENT_NOT_ACCREDITED
  if (state.holdingLimit !== 0n && state.to.balance + amount > state.holdingLimit)
    return c.HOLDING_LIMIT
  return c.SUCCESS
}
