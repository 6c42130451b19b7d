import { getAddress, hexlify, randomBytes } from 'ethers'
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
})

/**
 * Pays income (rent, service revenue) to the token's holders at a record block, pro rata to their
 * checkpointed balances, exactly to the unit ({@link shareIncome}), in one transaction from the
 * context's key: the distributor contract re-checks every share and that every holder is paid.
 * Checked first: holders exist, the payer's balance and approval cover the total, the id is new.
 *
 * @param t - the payer's context (it must have approved the distributor for `total`).
 * @param parameters - `{ token, recordBlock, total, id? }`.
 * @returns the shares paid, the distribution id and the transaction hash.
 * @throws {TokenizeError} `TOKENIZE_NO_HOLDERS`, `TOKENIZE_INSUFFICIENT_FUNDS`,
 * `TOKENIZE_ALREADY_SETTLED`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function distributeIncome(
  t: Tokenization,
  parameters: { token: string; recordBlock: number; total: bigint; id?: string },
): Promise<{ id: string; hash: string; shares: IncomeShare[]; gasUsed: bigint }> {
  const p = parseTokenize(schema, parameters, 'distribution')
  const id = p.id ?? hexlify(randomBytes(32))
  const { supply, holdings } = await holdingsAt(t, { token: p.token, recordBlock: p.recordBlock })
  const shares = shareIncome(p.total, holdings)
  const held = shares.reduce((s, h) => s + h.balance, 0n)
  if (held !== supply)
    throw new TokenizeError(
      'TOKENIZE_CHAIN_REVERTED',
      `Holders' balances (${held}) do not add up to the supply (${supply}) at the record block.`,
      {
        details: { held: held.toString(), supply: supply.toString() },
      },
    )
  const distributor = contract(t.chain, 'IncomeDistributor', t.deployment.distributor)
  const currency = contract(t.chain, 'SettlementToken', t.deployment.currency)
  const [done, balance, allowance] = await read('reading the payer', () =>
    Promise.all([
      distributor.getFunction('distributed')(id),
      currency.getFunction('balanceOf')(t.chain.address),
      currency.getFunction('allowance')(t.chain.address, t.deployment.distributor),
    ]),
  )
  if (done)
    throw new TokenizeError('TOKENIZE_ALREADY_SETTLED', `Distribution ${id} was paid already.`, {
      details: { id },
    })
  if (balance < p.total || allowance < p.total)
    throw new TokenizeError(
      'TOKENIZE_INSUFFICIENT_FUNDS',
      `The payer's balance or approval is below the total ${p.total}.`,
      {
        details: {
          balance: balance.toString(),
          allowance: allowance.toString(),
          total: p.total.toString(),
        },
      },
    )
  const receipt = await send(t.chain, `distributing income (${shares.length} holders)`, () =>
    distributor.getFunction('distribute')(
      id,
      p.token,
      t.deployment.currency,
      p.recordBlock,
      p.total,
      shares.map((s) => getAddress(s.holder)),
      shares.map((s) => s.amount),
    ),
  )
  return { id, hash: receipt.hash, shares, gasUsed: receipt.gasUsed }
}
