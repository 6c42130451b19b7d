import { z } from 'zod'
import { contract, read } from './chain.js'
import { type Tokenization, zAddress, zNonNegative } from './context.js'
import { parseTokenize } from './errors.js'
import {
  messageForTransferRestriction,
  type RestrictionCode,
  restrictionCode,
  type TransferState,
} from './restrictions.js'

/**
 * Whether an investor's claim is valid now (and accredited), as the identity source the token
 * uses answers it.
 *
 * @throws {TokenizeError} `TOKENIZE_CHAIN_*`.
 */
export async function readEligibility(
  t: Pick<Tokenization, 'chain' | 'deployment'>,
  investor: string,
  options: { identity?: string; blockTag?: number } = {},
): Promise<{ verified: boolean; accredited: boolean }> {
  parseTokenize(zAddress, investor, 'investor')
  parseTokenize(
    z.strictObject({
      identity: zAddress.optional(),
      blockTag: z.number().int().nonnegative().optional(),
    }),
    options,
    'eligibility options',
  )
  const registry = contract(
    t.chain,
    'IdentityRegistry',
    options.identity ?? t.deployment.identityRegistry,
  )
  const [verified, accredited] = await read(`reading the eligibility of ${investor}`, () =>
    registry.getFunction('eligibility')(investor, { blockTag: options.blockTag ?? 'latest' }),
  )
  return { verified, accredited }
}

/**
 * Reads everything the token's compliance rule looks at, at one block.
 *
 * @throws {TokenizeError} `TOKENIZE_CHAIN_*`.
 */
export async function readTransferState(
  t: Pick<Tokenization, 'chain' | 'deployment'>,
  parameters: { token: string; from: string; to: string; blockTag: number },
): Promise<TransferState> {
  const { token, from, to, blockTag } = parseTokenize(
    z.strictObject({
      token: zAddress,
      from: zAddress,
      to: zAddress,
      blockTag: z.number().int().nonnegative(),
    }),
    parameters,
    'transfer state',
  )
  const c = contract(t.chain, 'AssetToken', token)
  const call = (name: string, ...args: unknown[]) => c.getFunction(name)(...args, { blockTag })
  const [paused, holdingLimit, accreditedOnly, identity] = await read('reading the token', () =>
    Promise.all([
      call('paused'),
      call('holdingLimit'),
      call('accreditedOnly'),
      call('identityCheck'),
    ]),
  )
  const [fromFrozen, fromFrozenTokens, fromBalance, toFrozen, toBalance] = await read(
    'reading the parties',
    () =>
      Promise.all([
        call('isFrozen', from),
        call('frozenTokens', from),
        call('balanceOf', from),
        call('isFrozen', to),
        call('balanceOf', to),
      ]),
  )
  const [fromId, toId] = await Promise.all([
    readEligibility(t, from, { identity, blockTag }),
    readEligibility(t, to, { identity, blockTag }),
  ])
  return {
    paused,
    holdingLimit,
    accreditedOnly,
    from: {
      frozen: fromFrozen,
      frozenTokens: fromFrozenTokens,
      balance: fromBalance,
      verified: fromId.verified,
    },
    to: {
      frozen: toFrozen,
      balance: toBalance,
      verified: toId.verified,
      accredited: toId.accredited,
    },
  }
}

export type DetectTransferRestrictionParameters = {
  token: string
  from: string
  to: string
  amount: bigint
  /** The block whose state is judged; default: the latest. */
  blockTag?: number
}

const schema = z.strictObject({
  token: zAddress,
  from: zAddress,
  to: zAddress,
  amount: zNonNegative,
  blockTag: z.number().int().nonnegative().optional(),
})

/**
 * ERC-1404's `detectTransferRestriction`, computed by the library from the chain's state (no
 * transaction): the same code the token gives on chain for the same block.
 *
 * @param t - any tokenization context (only reads).
 * @param parameters - `{ token, from, to, amount, blockTag? }`.
 * @returns the code (0: no restriction) and its message.
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 * @example
 * ```ts
 * import { detectTransferRestriction } from '@btt/tokenize'
 * const { code, message } = await detectTransferRestriction(t, { token, from, to, amount: 10n ** 18n })
 * if (code !== 0) console.log(message) // e.g. 'The recipient has no valid identity claim …'
 * ```
 */
export async function detectTransferRestriction(
  t: Pick<Tokenization, 'chain' | 'deployment'>,
  parameters: DetectTransferRestrictionParameters,
): Promise<{ code: RestrictionCode; message: string; blockNumber: number }> {
  const p = parseTokenize(schema, parameters, 'transfer')
  const blockNumber =
    p.blockTag ?? (await read('reading the block number', () => t.chain.provider.getBlockNumber()))
  const state = await readTransferState(t, {
    token: p.token,
    from: p.from,
    to: p.to,
    blockTag: blockNumber,
  })
  const code = restrictionCode(state, p.amount)
  return { code, message: messageForTransferRestriction(code), blockNumber }
}
