import {
  defaultConfig,
  type EngineConfig,
  type FeeQuote,
  recordBurn,
  secondaryTradeFee,
} from '@btt/core'
import type { ChainConnection } from '@btt/payfi/evm'
import { decodeBytes32String, hexlify, randomBytes } from 'ethers'
import { z } from 'zod'
import { readAsset } from './asset.js'
import { contract, read } from './chain.js'
import { type Tokenization, type TokenizeDeployment, zAddress, zPositive } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'
import { chainNow } from './registerAsset.js'
import { assertTransferable } from './transferTokens.js'

/** A trade's terms, as both parties sign them (EIP-712) and the market settles them. */
export type Trade = {
  /** 0x-prefixed 32-byte id; settled once. */
  id: string
  token: string
  seller: string
  buyer: string
  /** Asset tokens, base units. */
  amount: bigint
  /** What the buyer pays in the settlement currency, base units, fee and burn included. */
  price: bigint
  /** Trading fee out of the price (core's `secondaryTradeFee`). */
  fee: bigint
  /** Burned out of the fee on a high-value trade (core's `recordBurn`). */
  burn: bigint
  /** Seconds since the epoch; the market refuses the trade after it. */
  expiry: bigint
}

export const tradeTypes = {
  Trade: [
    { name: 'id', type: 'bytes32' },
    { name: 'token', type: 'address' },
    { name: 'seller', type: 'address' },
    { name: 'buyer', type: 'address' },
    { name: 'amount', type: 'uint256' },
    { name: 'price', type: 'uint256' },
    { name: 'fee', type: 'uint256' },
    { name: 'burn', type: 'uint256' },
    { name: 'expiry', type: 'uint64' },
  ],
}

export const tradeSchema = z.strictObject({
  id: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  token: zAddress,
  seller: zAddress,
  buyer: zAddress,
  amount: zPositive,
  price: zPositive,
  fee: z.bigint().nonnegative(),
  burn: z.bigint().nonnegative(),
  expiry: z.bigint().positive(),
})

/**
 * The trading fee of a trade: the tier is chosen by the trade's notional in the fee schedule's
 * currency (the traded share of the asset's latest valuation, e.g. CNY fen), and its rate is
 * taken from the price in the settlement currency, rounded as core rounds every fee.
 *
 * @param price - what the buyer pays, settlement base units.
 * @param notional - the trade's value in the schedule's currency base units.
 * @returns the fee quote on the price.
 * @example
 * ```ts
 * import { tradeFee } from '@btt/tokenize'
 * tradeFee(10n ** 21n, 20_000_000n).bps // 75: a 200,000 CNY trade
 * ```
 */
export function tradeFee(
  price: bigint,
  notional: bigint,
  config: EngineConfig = defaultConfig,
): FeeQuote {
  parseTokenize(z.tuple([zPositive, z.bigint().nonnegative()]), [price, notional], 'trade fee')
  const { bps } = secondaryTradeFee(notional, config)
  const tokenization = { ...config.fees.tokenization, secondary: [{ minAmount: 0n, bps }] }
  return secondaryTradeFee(price, { fees: { ...config.fees, tokenization } })
}

async function notionalOf(t: Tokenization, token: string, amount: bigint): Promise<bigint> {
  const c = contract(t.chain, 'AssetToken', token)
  const [assetId, supply] = await read('reading the token', () =>
    Promise.all([c.getFunction('assetId')(), c.getFunction('totalSupply')()]),
  )
  const asset = await readAsset(t, decodeBytes32String(assetId))
  return supply === 0n ? 0n : (asset.valuation.value * amount) / supply
}

export type QuoteTradeParameters = {
  token: string
  seller: string
  buyer: string
  amount: bigint
  price: bigint
  /** How long the quote holds, seconds (default 300). */
  ttlSeconds?: number
  id?: string
}

/**
 * Quotes a secondary trade matched off chain: the trading fee by core's `secondaryTradeFee`, its
 * tier chosen by the trade's share of the asset's valuation ({@link tradeFee}), the burn by `recordBurn` (from the market's burn record so far, taken out of the
 * fee), and an expiry. Refuses, before anything is signed, a trade the token's compliance would
 * refuse (with its ERC-1404 code).
 *
 * @returns the terms to sign, and the fee quote.
 * @throws {TokenizeError} `TOKENIZE_TRANSFER_RESTRICTED`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function quoteTrade(
  t: Tokenization,
  parameters: QuoteTradeParameters,
): Promise<{ trade: Trade; fee: FeeQuote }> {
  const p = parseTokenize(
    z.strictObject({
      token: zAddress,
      seller: zAddress,
      buyer: zAddress,
      amount: zPositive,
      price: zPositive,
      ttlSeconds: z.number().int().min(1).max(86_400).optional(),
      id: z
        .string()
        .regex(/^0x[0-9a-fA-F]{64}$/)
        .optional(),
    }),
    parameters,
    'trade quote',
  )
  if (p.seller.toLowerCase() === p.buyer.toLowerCase())
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      'The seller and the buyer are the same wallet.',
      {
        details: { wallet: p.seller },
      },
    )
  await assertTransferable(t, { token: p.token, from: p.seller, to: p.buyer, amount: p.amount })
  const market = contract(t.chain, 'SecondaryMarket', t.deployment.market)
  const [burned, count] = await read('reading the burn record', () =>
    Promise.all([market.getFunction('totalBurned')(), market.getFunction('burnCount')()]),
  )
  const fee = tradeFee(p.price, await notionalOf(t, p.token, p.amount), t.config)
  const { burn } = recordBurn({ burned, count: Number(count) }, { value: p.price }, t.config)
  const now = await chainNow(t)
  const trade: Trade = {
    id: p.id ?? hexlify(randomBytes(32)),
    token: p.token,
    seller: p.seller,
    buyer: p.buyer,
    amount: p.amount,
    price: p.price,
    fee: fee.fee,
    burn: [burn, fee.fee].sort((a, b) => (a < b ? -1 : 1))[0]!, // out of the fee, never above it
    expiry: BigInt(Math.floor(now / 1000) + (p.ttlSeconds ?? 300)),
  }
  return { trade, fee }
}

/**
 * Signs a trade's terms (EIP-712, the market's domain) with a party's key.
 *
 * @param party - the seller's or the buyer's connection.
 * @returns the signature.
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT`.
 */
export async function signTrade(
  party: ChainConnection,
  deployment: TokenizeDeployment,
  trade: Trade,
): Promise<string> {
  const terms = parseTokenize(tradeSchema, trade, 'trade')
  return party.signer.signTypedData(
    {
      name: 'BTT SecondaryMarket',
      version: '1',
      chainId: BigInt(deployment.chainId),
      verifyingContract: deployment.market,
    },
    tradeTypes,
    terms,
  )
}
