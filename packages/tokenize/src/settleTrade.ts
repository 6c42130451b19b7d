import { z } from 'zod'
import { contract, read, send } from './chain.js'
import type { Tokenization } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'
import { tokenizeAccounts, withPendingFee } from './ledger.js'
import { chainNow } from './registerAsset.js'
import { type Trade, tradeSchema } from './trade.js'
import { assertTransferable } from './transferTokens.js'

const schema = z.strictObject({
  trade: tradeSchema,
  sellerSignature: z.string().regex(/^0x[0-9a-fA-F]+$/),
  buyerSignature: z.string().regex(/^0x[0-9a-fA-F]+$/),
})

async function precheck(t: Tokenization, trade: Trade): Promise<void> {
  const now = await chainNow(t)
  if (BigInt(Math.floor(now / 1000)) > trade.expiry)
    throw new TokenizeError(
      'TOKENIZE_QUOTE_EXPIRED',
      `The quote expired at ${new Date(Number(trade.expiry) * 1000).toISOString()}.`,
      {
        details: { id: trade.id, expiry: trade.expiry.toString(), now },
      },
    )
  const market = contract(t.chain, 'SecondaryMarket', t.deployment.market)
  if (await read('reading the trade', () => market.getFunction('settled')(trade.id)))
    throw new TokenizeError('TOKENIZE_ALREADY_SETTLED', `Trade ${trade.id} is settled already.`, {
      details: { id: trade.id },
    })
  await assertTransferable(t, {
    token: trade.token,
    from: trade.seller,
    to: trade.buyer,
    amount: trade.amount,
  })
  const token = contract(t.chain, 'AssetToken', trade.token)
  const currency = contract(t.chain, 'SettlementToken', t.deployment.currency)
  const [tokenAllowance, paid, paidAllowance] = await read('reading balances', () =>
    Promise.all([
      token.getFunction('allowance')(trade.seller, t.deployment.market),
      currency.getFunction('balanceOf')(trade.buyer),
      currency.getFunction('allowance')(trade.buyer, t.deployment.market),
    ]),
  )
  const short =
    tokenAllowance < trade.amount
      ? 'the seller has not approved the market for the tokens'
      : paid < trade.price
        ? "the buyer's balance is below the price"
        : paidAllowance < trade.price
          ? 'the buyer has not approved the market for the price'
          : null
  if (short)
    throw new TokenizeError('TOKENIZE_INSUFFICIENT_FUNDS', `Trade ${trade.id}: ${short}.`, {
      details: { id: trade.id, reason: short },
    })
}

/**
 * Settles a trade both parties signed, atomically on chain (tokens against the settlement
 * currency, fee to the fee recipient, burn burned), after checking everything the contract will:
 * expiry, not settled before, compliance, balances and approvals. The trade's movements are
 * recorded in the ledger (net to the seller, fee, burn), reserved before sending and posted once
 * mined.
 *
 * @param t - any tokenization context (its key pays the gas).
 * @returns the transaction hash and the ledger entry id.
 * @throws {TokenizeError} `TOKENIZE_QUOTE_EXPIRED`, `TOKENIZE_ALREADY_SETTLED`,
 * `TOKENIZE_TRANSFER_RESTRICTED`, `TOKENIZE_INSUFFICIENT_FUNDS`, `TOKENIZE_LEDGER_FAILED`,
 * `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 * @example
 * ```ts
 * import { quoteTrade, settleTrade, signTrade } from '@btt/tokenize'
 * const { trade } = await quoteTrade(t, { token, seller: s.address, buyer: b.address, amount, price })
 * const sellerSignature = await signTrade(s, t.deployment, trade)
 * const buyerSignature = await signTrade(b, t.deployment, trade)
 * await settleTrade(t, { trade, sellerSignature, buyerSignature })
 * ```
 */
export async function settleTrade(
  t: Tokenization,
  parameters: { trade: Trade; sellerSignature: string; buyerSignature: string },
): Promise<{ hash: string; entry: string }> {
  const { trade, sellerSignature, buyerSignature } = parseTokenize(schema, parameters, 'settlement')
  await precheck(t, trade)
  const cur = t.deployment.currencyCode
  const buyer = tokenizeAccounts.investor(trade.buyer, cur)
  const entry = `tokenize:trade:${trade.id.toLowerCase()}`
  const market = contract(t.chain, 'SecondaryMarket', t.deployment.market)
  const receipt = await withPendingFee(
    t.ledger,
    {
      id: entry,
      currency: cur,
      legs: [
        {
          debit: buyer,
          credit: tokenizeAccounts.investor(trade.seller, cur),
          amount: trade.price - trade.fee,
        },
        {
          debit: buyer,
          credit: tokenizeAccounts.fees('trading', cur),
          amount: trade.fee - trade.burn,
        },
        { debit: buyer, credit: tokenizeAccounts.burned(cur), amount: trade.burn },
      ],
      metadata: { operation: 'tokenize.trade', order_id: trade.id.slice(2, 66) },
    },
    `recording trade ${trade.id}`,
    () =>
      send(t.chain, `settling trade ${trade.id}`, () =>
        market.getFunction('settle')(trade, sellerSignature, buyerSignature),
      ),
  )
  return { hash: receipt.hash, entry }
}

/**
 * Lets the market (a trade) or the distributor (an income payment) move a party's tokens or
 * settlement currency.
 *
 * @param party - the seller's, buyer's or payer's context.
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function approve(
  party: Pick<Tokenization, 'chain' | 'deployment'>,
  parameters: { token: string; amount: bigint; spender?: 'market' | 'distributor' },
): Promise<string> {
  const p = parseTokenize(
    z.strictObject({
      token: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
      amount: z.bigint().nonnegative(),
      spender: z.enum(['market', 'distributor']).optional(),
    }),
    parameters,
    'approval',
  )
  const c = contract(party.chain, 'SettlementToken', p.token)
  const spender =
    p.spender === 'distributor' ? party.deployment.distributor : party.deployment.market
  const receipt = await send(party.chain, `approving the ${p.spender ?? 'market'}`, () =>
    c.getFunction('approve')(spender, p.amount),
  )
  return receipt.hash
}
