import { z } from 'zod'
import { contract, send } from './chain.js'
import { type Tokenization, zAddress, zPositive } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'
import { messageForTransferRestriction, restrictionCodes } from './restrictions.js'
import { requireRole } from './roles.js'
import { readEligibility } from './transferState.js'

type Ctx = Pick<Tokenization, 'chain' | 'deployment'>

async function agentCall(
  t: Ctx,
  token: string,
  doing: string,
  fn: string,
  args: unknown[],
): Promise<string> {
  await requireRole(t, 'AssetToken', token, 'AGENT_ROLE')
  const c = contract(t.chain, 'AssetToken', token)
  return (await send(t.chain, doing, () => c.getFunction(fn)(...args))).hash
}

async function requireVerified(t: Ctx, wallet: string): Promise<void> {
  if ((await readEligibility(t, wallet)).verified) return
  const code = restrictionCodes.RECIPIENT_NOT_VERIFIED
  const message = messageForTransferRestriction(code)
  throw new TokenizeError('TOKENIZE_TRANSFER_RESTRICTED', `Refused before sending: ${message}`, {
    details: { code, message, onChain: false, to: wallet },
  })
}

const walletSchema = z.strictObject({ token: zAddress, wallet: zAddress })
const amountSchema = z.strictObject({ token: zAddress, wallet: zAddress, amount: zPositive })

/**
 * Freezes or unfreezes a whole wallet (agent only).
 *
 * @throws {TokenizeError} `TOKENIZE_NOT_AGENT`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function setWalletFrozen(
  t: Ctx,
  parameters: { token: string; wallet: string; frozen: boolean },
): Promise<string> {
  const p = parseTokenize(walletSchema.extend({ frozen: z.boolean() }), parameters, 'freeze')
  return agentCall(t, p.token, `freezing ${p.wallet}`, 'setAddressFrozen', [p.wallet, p.frozen])
}

/**
 * Freezes part of a wallet's balance (agent only); `unfreeze: true` releases it.
 *
 * @throws {TokenizeError} `TOKENIZE_NOT_AGENT`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function freezeTokens(
  t: Ctx,
  parameters: { token: string; wallet: string; amount: bigint; unfreeze?: boolean },
): Promise<string> {
  const p = parseTokenize(
    amountSchema.extend({ unfreeze: z.boolean().optional() }),
    parameters,
    'partial freeze',
  )
  const fn = p.unfreeze ? 'unfreezePartialTokens' : 'freezePartialTokens'
  return agentCall(t, p.token, `freezing tokens of ${p.wallet}`, fn, [p.wallet, p.amount])
}

/**
 * Pauses or resumes every holder transfer of a token (agent only).
 *
 * @throws {TokenizeError} `TOKENIZE_NOT_AGENT`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function setPaused(
  t: Ctx,
  parameters: { token: string; paused: boolean },
): Promise<string> {
  const p = parseTokenize(
    z.strictObject({ token: zAddress, paused: z.boolean() }),
    parameters,
    'pause',
  )
  return agentCall(
    t,
    p.token,
    p.paused ? 'pausing' : 'unpausing',
    p.paused ? 'pause' : 'unpause',
    [],
  )
}

/**
 * Moves tokens without the holder's consent, past freezes and pause, to a verified wallet
 * (agent only).
 *
 * @throws {TokenizeError} `TOKENIZE_NOT_AGENT`, `TOKENIZE_TRANSFER_RESTRICTED`,
 * `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function forcedTransfer(
  t: Ctx,
  parameters: { token: string; from: string; to: string; amount: bigint },
): Promise<string> {
  const p = parseTokenize(
    z.strictObject({ token: zAddress, from: zAddress, to: zAddress, amount: zPositive }),
    parameters,
    'forced transfer',
  )
  await requireRole(t, 'AssetToken', p.token, 'AGENT_ROLE')
  await requireVerified(t, p.to)
  return agentCall(t, p.token, `forcing a transfer from ${p.from}`, 'forcedTransfer', [
    p.from,
    p.to,
    p.amount,
  ])
}

/**
 * Moves a lost wallet's whole balance, frozen tokens and freeze status to a new verified wallet
 * (agent only).
 *
 * @throws {TokenizeError} `TOKENIZE_NOT_AGENT`, `TOKENIZE_TRANSFER_RESTRICTED`,
 * `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function recoverWallet(
  t: Ctx,
  parameters: { token: string; lost: string; replacement: string },
): Promise<string> {
  const p = parseTokenize(
    z.strictObject({ token: zAddress, lost: zAddress, replacement: zAddress }),
    parameters,
    'recovery',
  )
  await requireRole(t, 'AssetToken', p.token, 'AGENT_ROLE')
  await requireVerified(t, p.replacement)
  return agentCall(t, p.token, `recovering ${p.lost}`, 'recoveryAddress', [p.lost, p.replacement])
}

/**
 * Burns a wallet's tokens (agent only); frozen tokens go last.
 *
 * @throws {TokenizeError} `TOKENIZE_NOT_AGENT`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function burnTokens(
  t: Ctx,
  parameters: { token: string; wallet: string; amount: bigint },
): Promise<string> {
  const p = parseTokenize(amountSchema, parameters, 'burn')
  return agentCall(t, p.token, `burning tokens of ${p.wallet}`, 'burn', [p.wallet, p.amount])
}

/**
 * Mints more tokens to a verified wallet (agent only), after the same recipient checks as a
 * transfer (frozen, verified, accredited, holding limit).
 *
 * @throws {TokenizeError} `TOKENIZE_NOT_AGENT`, `TOKENIZE_TRANSFER_RESTRICTED`,
 * `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function mintTokens(
  t: Ctx,
  parameters: { token: string; wallet: string; amount: bigint },
): Promise<string> {
  const p = parseTokenize(amountSchema, parameters, 'mint')
  await requireRole(t, 'AssetToken', p.token, 'AGENT_ROLE')
  await requireVerified(t, p.wallet)
  return agentCall(t, p.token, `minting to ${p.wallet}`, 'mint', [p.wallet, p.amount])
}

/**
 * Sets the most tokens one wallet may hold (agent only); 0: no limit.
 *
 * @throws {TokenizeError} `TOKENIZE_NOT_AGENT`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function setHoldingLimit(
  t: Ctx,
  parameters: { token: string; limit: bigint },
): Promise<string> {
  const p = parseTokenize(
    z.strictObject({ token: zAddress, limit: z.bigint().nonnegative() }),
    parameters,
    'holding limit',
  )
  return agentCall(t, p.token, 'setting the holding limit', 'setHoldingLimit', [p.limit])
}
