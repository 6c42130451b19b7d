import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  approve,
  deploySettlementToken,
  deployTokenization,
  distributeIncome,
  documentHash,
  quoteTrade,
  readAsset,
  recordBlockAt,
  registerAsset,
  revalueAsset,
  settleTrade,
  signTrade,
  TokenizeError,
  tokenizeAsset,
  verifyInvestor,
} from '@btt/tokenize'
import type { Io } from '../io.js'
import { fileWriteProblem } from '../outputFolder.js'
import { readInputFile } from '../readInputFile.js'
import { subcommand } from '../usage.js'
import {
  amountFlag,
  connect,
  dateFlag,
  integerFlag,
  openContext,
  readJson,
  readKey,
  requireFlag,
  toJson,
} from './tokenizeSetup.js'

export { tokenizeUsage } from './tokenizeUsage.js'

const options = {
  rpc: { type: 'string' },
  key: { type: 'string' },
  deployment: { type: 'string' },
  ledger: { type: 'string' },
  out: { type: 'string' },
  currency: { type: 'string' },
  force: { type: 'boolean' },
  asset: { type: 'string' },
  'asset-id': { type: 'string' },
  supply: { type: 'string' },
  name: { type: 'string' },
  symbol: { type: 'string' },
  'holding-limit': { type: 'string' },
  'accredited-only': { type: 'boolean' },
  investor: { type: 'string' },
  country: { type: 'string' },
  expires: { type: 'string' },
  accredited: { type: 'boolean' },
  'seller-key': { type: 'string' },
  'buyer-key': { type: 'string' },
  amount: { type: 'string' },
  price: { type: 'string' },
  ttl: { type: 'string' },
  value: { type: 'string' },
  date: { type: 'string' },
  method: { type: 'string' },
  appraiser: { type: 'string' },
  'record-block': { type: 'string' },
  'record-date': { type: 'string' },
  total: { type: 'string' },
  id: { type: 'string' },
  'batch-size': { type: 'string' },
} as const

type Flags = ReturnType<typeof parseArgs<{ args: string[]; options: typeof options }>>['values']

const subcommands: Record<string, (flags: Flags) => Promise<{ text: string; json: unknown }>> = {
  deploy,
  register,
  mint,
  verify,
  trade,
  revalue,
  distribute,
}

/** `btt tokenize …`; returns the exit code. */
export async function tokenizeCommand(argv: string[], io: Io): Promise<number> {
  const [given, ...rest] = argv
  const run = subcommands[subcommand('btt tokenize', given, Object.keys(subcommands))]!
  const { values } = parseArgs({ args: rest, options, strict: true })
  const result = await run(values)
  io.out.write(io.json ? `${toJson(result.json)}\n` : `${result.text}\n`)
  return 0
}

async function deploy(flags: Flags) {
  const out = resolve(flags.out ?? 'tokenize.json')
  if (existsSync(out) && !flags.force)
    throw new TokenizeError(
      'TOKENIZE_DEPLOYMENT_EXISTS',
      `${out} exists; pass --force to replace it.`,
      {
        details: { file: out },
      },
    )
  // even with --force: never over the key file nor onto a folder (found only after deploying)
  const folder = dirname(out)
  if (
    (flags.key && resolve(flags.key) === out) ||
    (existsSync(out) && statSync(out).isDirectory()) ||
    !(existsSync(folder) && statSync(folder).isDirectory())
  )
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      `--out ${out} is an input, a folder, or in a folder that does not exist.`,
      {
        details: { file: out },
      },
    )
  const unwritable = fileWriteProblem(out)
  if (unwritable)
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      `--out ${out} cannot be written: ${unwritable}`,
      {
        details: { file: out },
      },
    )
  const chain = await connect(requireFlag(flags.rpc, 'rpc'), readKey(requireFlag(flags.key, 'key')))
  try {
    const currency =
      flags.currency ??
      (await deploySettlementToken(chain, { mint: { [chain.address]: 10n ** 6n * 10n ** 18n } }))
    const deployment = await deployTokenization(chain, { currency })
    const tmp = `${out}.${process.pid}.tmp`
    writeFileSync(tmp, `${JSON.stringify(deployment, null, 2)}\n`)
    renameSync(tmp, out)
    const text = Object.entries(deployment)
      .map(([k, v]) => `${k.padEnd(17)} ${v}`)
      .join('\n')
    return { text: `${text}\nwritten to ${out}`, json: deployment }
  } finally {
    chain.provider.destroy()
  }
}

async function register(flags: Flags) {
  const file = requireFlag(flags.asset, 'asset')
  const raw = readJson(file, 'the asset') as Record<string, unknown>
  const v = (raw?.valuation ?? {}) as Record<string, unknown>
  const docs = Array.isArray(raw?.documents) ? (raw.documents as Record<string, unknown>[]) : []
  const documents = docs.map((d, i) => {
    if (typeof d?.file !== 'string' || d.file === '')
      throw new TokenizeError(
        'TOKENIZE_INVALID_ARGUMENT',
        `${file}: documents[${i}].file must name the document's file.`,
        { details: { file, index: i } },
      )
    // relative to the asset file, as a scenario's `extends` is: not to wherever btt was run
    const path = resolve(dirname(resolve(file)), d.file)
    let content: Uint8Array
    try {
      content = readInputFile(path, Number.POSITIVE_INFINITY)
    } catch (cause) {
      throw new TokenizeError('TOKENIZE_INVALID_ARGUMENT', `Cannot read document ${path}.`, {
        cause,
        details: { file: path },
      })
    }
    const sha256 = typeof d.sha256 === 'string' ? d.sha256 : documentHash(content)
    return { name: String(d.name), uri: String(d.uri), sha256, content }
  })
  const asset = {
    ...(raw as object),
    valuation: {
      value: amountFlag(
        typeof v.value === 'string' ? v.value : String(v.value),
        'valuation.value',
        { zero: true },
      ),
      date: dateFlag(typeof v.date === 'string' ? v.date : undefined, 'valuation.date'),
      method: v.method,
      appraiser: v.appraiser,
    },
    documents,
  }
  return withContext(flags, async (t) => {
    const registered = await registerAsset(t, asset as never)
    return {
      text: `registered ${registered.id} (${registered.type}) owned by ${registered.owner}`,
      json: registered,
    }
  })
}

async function mint(flags: Flags) {
  const assetId = requireFlag(flags['asset-id'], 'asset-id')
  return withContext(flags, async (t) => {
    const r = await tokenizeAsset(t, {
      assetId,
      supply: amountFlag(flags.supply, 'supply'),
      name: requireFlag(flags.name, 'name'),
      symbol: requireFlag(flags.symbol, 'symbol'),
      ...(flags['holding-limit']
        ? { holdingLimit: amountFlag(flags['holding-limit'], 'holding-limit', { zero: true }) }
        : {}),
      accreditedOnly: flags['accredited-only'] ?? false,
    })
    return {
      text: `token ${r.token}; minting fee ${r.fee.fee} (${r.fee.bps} bps) recorded as ${r.feeEntry}`,
      json: r,
    }
  })
}

async function verify(flags: Flags) {
  const investor = requireFlag(flags.investor, 'investor')
  const country = integerFlag(flags.country, 'country', 1, 999)
  const expiresAt = dateFlag(flags.expires, 'expires')
  return withContext(flags, async (t) => {
    const hash = await verifyInvestor(t, {
      investor,
      country,
      accredited: flags.accredited ?? false,
      expiresAt,
    })
    return {
      text: `verified ${investor} until ${new Date(expiresAt).toISOString()}`,
      json: { investor, country, expiresAt, hash },
    }
  })
}

async function trade(flags: Flags) {
  const sellerKey = readKey(requireFlag(flags['seller-key'], 'seller-key'))
  const buyerKey = readKey(requireFlag(flags['buyer-key'], 'buyer-key'))
  const amount = amountFlag(flags.amount, 'amount')
  const price = amountFlag(flags.price, 'price')
  const ttlSeconds = flags.ttl === undefined ? 300 : integerFlag(flags.ttl, 'ttl', 1, 86_400)
  return withContext(flags, async (t) => {
    const asset = await readAsset(t, requireFlag(flags['asset-id'], 'asset-id'))
    const token = requireFlag(asset.token ?? undefined, 'asset-id (a tokenized asset)')
    const seller = await connect(requireFlag(flags.rpc, 'rpc'), sellerKey)
    const buyer = await connect(requireFlag(flags.rpc, 'rpc'), buyerKey)
    try {
      const { trade } = await quoteTrade(t, {
        token,
        seller: seller.address,
        buyer: buyer.address,
        amount,
        price,
        ttlSeconds,
      })
      await approve({ chain: seller, deployment: t.deployment }, { token, amount })
      await approve(
        { chain: buyer, deployment: t.deployment },
        { token: t.deployment.currency, amount: price },
      )
      const sellerSignature = await signTrade(seller, t.deployment, trade)
      const buyerSignature = await signTrade(buyer, t.deployment, trade)
      const settled = await settleTrade(t, { trade, sellerSignature, buyerSignature })
      return {
        text: `trade ${trade.id} settled in ${settled.hash}: fee ${trade.fee}, burned ${trade.burn}`,
        json: { trade, ...settled },
      }
    } finally {
      seller.provider.destroy()
      buyer.provider.destroy()
    }
  })
}

async function revalue(flags: Flags) {
  const assetId = requireFlag(flags['asset-id'], 'asset-id')
  const valuation = {
    value: amountFlag(flags.value, 'value', { zero: true }),
    date: dateFlag(flags.date, 'date'),
    method: requireFlag(flags.method, 'method'),
    appraiser: requireFlag(flags.appraiser, 'appraiser'),
  }
  return withContext(flags, async (t) => {
    const r = await revalueAsset(t, { assetId, valuation })
    return {
      text: `valuation #${r.record.index} of ${assetId}: ${r.record.value}; fee ${r.fee.fee} recorded as ${r.feeEntry}`,
      json: r,
    }
  })
}

async function distribute(flags: Flags) {
  const date =
    flags['record-date'] === undefined ? undefined : dateFlag(flags['record-date'], 'record-date')
  const block =
    date === undefined
      ? integerFlag(flags['record-block'], 'record-block', 0, Number.MAX_SAFE_INTEGER)
      : undefined
  const total = amountFlag(flags.total, 'total')
  const batchSize =
    flags['batch-size'] === undefined
      ? undefined
      : integerFlag(flags['batch-size'], 'batch-size', 1, 1000)
  return withContext(flags, async (t) => {
    const recordBlock = block ?? (await recordBlockAt(t, { date: date! }))
    const asset = await readAsset(t, requireFlag(flags['asset-id'], 'asset-id'))
    const token = requireFlag(asset.token ?? undefined, 'asset-id (a tokenized asset)')
    await approve(t, { token: t.deployment.currency, amount: total, spender: 'distributor' })
    const r = await distributeIncome(t, {
      token,
      recordBlock,
      total,
      ...(flags.id ? { id: flags.id } : {}),
      ...(batchSize !== undefined ? { batchSize } : {}),
    })
    const lines = r.shares.map((s) => `  ${s.holder} ${s.amount}`)
    return {
      text: [
        `distribution ${r.id} paid ${total} to ${r.shares.length} holders in ${r.hashes.join(', ')}`,
        ...lines,
      ].join('\n'),
      json: r,
    }
  })
}

async function withContext<T>(
  flags: Flags,
  work: (t: Awaited<ReturnType<typeof openContext>>) => Promise<T>,
): Promise<T> {
  const t = await openContext(flags)
  try {
    return await work(t)
  } finally {
    await t.close()
  }
}
