import { z } from 'zod'
import { contract, send } from './chain.js'
import { type Tokenization, zAddress, zPositive } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'
import { detectTransferRestriction } from './transferState.js'

/**
 * Throws `TOKENIZE_TRANSFER_RESTRICTED` (with the ERC-1404 code and message, `onChain: false`)
 * when the token would refuse the transfer now.
 */
export async function assertTransferable(
  t: Pick<Tokenization, 'chain' | 'deployment'>,
  transfer: { token: string; from: string; to: string; amount: bigint },
): Promise<void> {
  const { code, message } = await detectTransferRestriction(t, transfer)
  if (code !== 0)
    throw new TokenizeError('TOKENIZE_TRANSFER_RESTRICTED', `Refused before sending: ${message}`, {
      details: { code, message, onChain: false, from: transfer.from, to: transfer.to },
    })
}

/**
 * Sends asset tokens from the context's key to `to`, after the library's compliance check: a
 * transfer the token would refuse is refused before any transaction, with its code and message.
 *
 * @param t - the holder's tokenization context.
 * @param parameters - `{ token, to, amount }`.
 * @returns the transaction hash.
 * @throws {TokenizeError} `TOKENIZE_TRANSFER_RESTRICTED`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function transferTokens(
  t: Pick<Tokenization, 'chain' | 'deployment'>,
  parameters: { token: string; to: string; amount: bigint },
): Promise<string> {
  const p = parseTokenize(
    z.strictObject({ token: zAddress, to: zAddress, amount: zPositive }),
    parameters,
    'transfer',
  )
  await assertTransferable(t, { ...p, from: t.chain.address })
  const c = contract(t.chain, 'AssetToken', p.token)
  const receipt = await send(t.chain, 'transferring tokens', () =>
    c.getFunction('transfer')(p.to, p.amount),
  )
  return receipt.hash
}
