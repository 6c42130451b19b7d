import { getAddress, hexlify, randomBytes, ZeroAddress } from 'ethers'
import { z } from 'zod'
import { contract, read, send } from './chain.js'
import { type Tokenization, zAddress, zPositive } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'
import { type IncomeShare, shareIncome } from './shareIncome.js'

const PAGE = 500

/**
 * Every holder's balance at a record block, from the token's checkpoints (every wallet that ever
 * held it is asked, not only those who delegated), with the supply then.
 *
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT` (a record block not yet past), `TOKENIZE_CHAIN_*`.
 */
export async function holdingsAt(
  t: Pick<Tokenization, 'chain'>,
  parameters: { token: string; recordBlock: number },
): Promise<{ supply: bigint; holdings: { holder: string; balance: bigint }[] }> {
  const { token, recordBlock } = parseTokenize(
    z.strictObject({ token: zAddress, recordBlock: z.number().int().nonnegative() }),
    parameters,
    'holdings',
  )
  const c = contract(t.chain, 'AssetToken', token)
  const latest = await read('reading the block number', () => t.chain.provider.getBlockNumber())
  if (recordBlock >= latest)
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      `The record block ${recordBlock} is not past yet (latest ${latest}).`,
      {
        details: { recordBlock, latest },
      },
    )
  const count = Number(await read('reading holders', () => c.getFunction('holderCount')()))
  const wallets: string[] = []
  for (let offset = 0; offset < count; offset += PAGE)
    wallets.push(...(await read('reading holders', () => c.getFunction('holders')(offset, PAGE))))
  const balances: bigint[] = await read('reading balances at the record block', () =>
    Promise.all(wallets.map((w) => c.getFunction('balanceOfAt')(w, recordBlock))),
  )
  const supply: bigint = await read('reading the supply', () =>
    c.getFunction('totalSupplyAt')(recordBlock),
  )
  return { supply, holdings: wallets.map((holder, i) => ({ holder, balance: balances[i]! })) }
}

const schema = z.strictObject({
  token: zAddress,
  recordBlock: z.number().int().nonnegative(),
  total: zPositive,
  id: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/)
    .optional(),
  batchSize: z.number().int().min(1).max(1000).optional(),
})

export type DistributeIncomeReturnType = {
  id: string
  /** One transaction hash per batch (one for a list that fits one batch). */
  hashes: string[]
  shares: IncomeShare[]
  gasUsed: bigint
}

/**
 * Pays income (rent, service revenue) to the token's holders at a record block, pro rata to their
 * checkpointed balances, exactly to the unit ({@link shareIncome}): the distributor contract
 * re-checks every share and that every holder is paid. Up to `batchSize` holders (default 300,
 * about 9M gas) go in one transaction that pays all or nothing; a longer list is paid in batches
 * under the same id, checked as a whole with the last one, and a run cut short is resumed by
 * calling again with the same id (holders paid already are skipped). Checked first: holders
 * exist, the payer's balance and approval cover what is left to pay, the id is not paid yet.
 *
 * @param t - the payer's context (it must have approved the distributor for `total`).
 * @param parameters - `{ token, recordBlock, total, id?, batchSize? }`.
 * @returns the shares, the distribution id, the transaction hashes and the gas.
 * @throws {TokenizeError} `TOKENIZE_NO_HOLDERS`, `TOKENIZE_INSUFFICIENT_FUNDS`,
 * `TOKENIZE_ALREADY_SETTLED`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 * @example
 * ```ts
 * import { approve, distributeIncome, recordBlockAt } from '@btt/tokenize'
 * const recordBlock = await recordBlockAt(t, { date: Date.parse('2026-06-30T23:59:59Z') })
 * await approve(t, { token: t.deployment.currency, amount: rent, spender: 'distributor' })
 * const { shares } = await distributeIncome(t, { token, recordBlock, total: rent })
 * ```
 */
export async function distributeIncome(
  t: Tokenization,
  parameters: {
    token: string
    recordBlock: number
    total: bigint
    id?: string
    batchSize?: number
  },
): Promise<DistributeIncomeReturnType> {
  const p = parseTokenize(schema, parameters, 'distribution')
  const id = p.id ?? hexlify(randomBytes(32))
  const { supply, holdings } = await holdingsAt(t, { token: p.token, recordBlock: p.recordBlock })
  const shares = shareIncome(p.total, holdings)
  const held = shares.reduce((s, h) => s + h.balance, 0n)
  if (held !== supply)
    throw new TokenizeError(
      'TOKENIZE_CHAIN_REVERTED',
      `Holders' balances (${held}) do not add up to the supply (${supply}) at the record block.`,
      { details: { held: held.toString(), supply: supply.toString() } },
    )
  const distributor = contract(t.chain, 'IncomeDistributor', t.deployment.distributor)
  const [done, progress] = await read('reading the distribution', () =>
    Promise.all([
      distributor.getFunction('distributed')(id),
      distributor.getFunction('progress')(id),
    ]),
  )
  if (done)
    throw new TokenizeError('TOKENIZE_ALREADY_SETTLED', `Distribution ${id} was paid already.`, {
      details: { id },
    })
  const open = progress.payer !== ZeroAddress
  if (open && progress.payer.toLowerCase() !== t.chain.address.toLowerCase())
    throw new TokenizeError(
      'TOKENIZE_ALREADY_SETTLED',
      `Distribution ${id} is being paid by ${progress.payer}.`,
      {
        details: { id, payer: progress.payer },
      },
    )
  const last = open ? (progress.last as string).toLowerCase() : ''
  const todo = shares.filter((s) => s.holder > last)
  await checkFunds(t, p.total - (open ? (progress.paid as bigint) : 0n))
  const size = p.batchSize ?? 300
  const terms = {
    token: p.token,
    currency: t.deployment.currency,
    recordBlock: p.recordBlock,
    total: p.total,
  }
  const receipts = []
  if (!open && todo.length <= size)
    receipts.push(
      await send(t.chain, `distributing income (${todo.length} holders)`, () =>
        distributor.getFunction('distribute')(
          id,
          p.token,
          terms.currency,
          p.recordBlock,
          p.total,
          ...columns(todo),
        ),
      ),
    )
  else
    for (let i = 0; i < todo.length; i += size) {
      const batch = todo.slice(i, i + size)
      receipts.push(
        await send(
          t.chain,
          `distributing income (holders ${i + 1}–${i + batch.length} of ${todo.length})`,
          () =>
            distributor.getFunction('distributeBatch')(
              id,
              terms,
              ...columns(batch),
              i + size >= todo.length,
            ),
        ),
      )
    }
  return {
    id,
    hashes: receipts.map((r) => r.hash),
    shares,
    gasUsed: receipts.reduce((g, r) => g + r.gasUsed, 0n),
  }
}

function columns(shares: IncomeShare[]): [string[], bigint[]] {
  return [shares.map((s) => getAddress(s.holder)), shares.map((s) => s.amount)]
}

async function checkFunds(t: Tokenization, needed: bigint): Promise<void> {
  const currency = contract(t.chain, 'SettlementToken', t.deployment.currency)
  const [balance, allowance]: bigint[] = await read('reading the payer', () =>
    Promise.all([
      currency.getFunction('balanceOf')(t.chain.address),
      currency.getFunction('allowance')(t.chain.address, t.deployment.distributor),
    ]),
  )
  if (balance! < needed || allowance! < needed)
    throw new TokenizeError(
      'TOKENIZE_INSUFFICIENT_FUNDS',
      `The payer's balance or approval is below the ${needed} left to pay.`,
      {
        details: {
          balance: String(balance),
          allowance: String(allowance),
          needed: needed.toString(),
        },
      },
    )
}
