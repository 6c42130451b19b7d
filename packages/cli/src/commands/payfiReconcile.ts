import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { defaultConfig } from '@btt/core'
import {
  type Currency,
  openSqliteLedger,
  PayfiError,
  type ReconcileReport,
  reconcile,
  type SettlementAsset,
} from '@btt/payfi'
import { connectReadOnly, createEvmSettlementChain } from '@btt/payfi/evm'
import type { Io } from '../io.js'
import { readInputText } from '../readInputFile.js'

export const payfiReconcileUsage = `  btt payfi reconcile --rpc <url> --ledger <ledger.sqlite> --deployment <deployment.json>
                      [--max-pending-minutes 120] [--timeout-seconds 30] [--json]
      compares the chain's payouts (BatchPaid events and their transfers) with the ledger's
      settlement entries; exits 10 (integrity) when they differ. deployment.json is what
      'btt chain deploy' writes, plus "settlementAssets": { "CNY": { "token": "0x…", "decimals": 2 } }
      (BTT is the deployment's token, 18 decimals) and optionally "fromBlock".`

const isAddress = (v: unknown): v is string =>
  typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)

type Deployment = {
  deployer: string
  token: string
  batchPayout: string
  settlementAssets: Partial<Record<Currency, SettlementAsset>>
  fromBlock?: number
}

function invalid(message: string, details: Record<string, unknown>): PayfiError {
  return new PayfiError('PAYFI_INVALID_ARGUMENT', message, { details })
}

/** Reads and checks deployment.json (the chain's addresses and the settlement assets). */
function readDeployment(file: string): Deployment {
  let json: Record<string, unknown>
  try {
    json = JSON.parse(readInputText(file))
  } catch (cause) {
    throw new PayfiError('PAYFI_INVALID_ARGUMENT', `Cannot read ${file} as JSON.`, {
      cause,
      details: { file },
    })
  }
  const problems: string[] = []
  for (const k of ['deployer', 'token', 'batchPayout'])
    if (!isAddress(json?.[k])) problems.push(`${k} must be a 0x-prefixed 20-byte address`)
  const assets: Partial<Record<Currency, SettlementAsset>> = {}
  const given = (json?.settlementAssets ?? {}) as Record<
    string,
    { token?: unknown; decimals?: unknown }
  >
  for (const [c, a] of Object.entries(given)) {
    const decimals = a?.decimals
    if (!['CNY', 'USD', 'HKD'].includes(c))
      problems.push(`settlementAssets.${c}: not a fiat currency of the ledger`)
    else if (
      !isAddress(a?.token) ||
      !Number.isInteger(decimals) ||
      (decimals as number) < 0 ||
      (decimals as number) > 36
    )
      problems.push(`settlementAssets.${c}: needs token (address) and decimals (0–36)`)
    else assets[c as Currency] = { token: a.token as string, decimals: decimals as number }
  }
  const fromBlock = json?.fromBlock
  if (fromBlock !== undefined && !(Number.isInteger(fromBlock) && (fromBlock as number) >= 0))
    problems.push('fromBlock must be a non-negative integer')
  if (problems.length > 0)
    throw invalid(`${file} is not a usable deployment record.`, { file, problems })
  return {
    deployer: json.deployer as string,
    token: json.token as string,
    batchPayout: json.batchPayout as string,
    settlementAssets: assets,
    ...(fromBlock !== undefined ? { fromBlock: fromBlock as number } : {}),
  }
}

/** Checks the flags as the config file would be: every one present and in range. */
function readFlags(values: Record<string, string | undefined>) {
  const problems: string[] = []
  for (const k of ['rpc', 'ledger', 'deployment'])
    if (!values[k]) problems.push(`--${k} is required`)
  if (values.rpc && !/^https?:\/\/[^\s]+$/.test(values.rpc))
    problems.push('--rpc must be an http(s) URL')
  const minutes = Number(values['max-pending-minutes'])
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 100_000)
    problems.push('--max-pending-minutes must be a whole number from 1 to 100000')
  const timeout = Number(values['timeout-seconds'])
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600)
    problems.push('--timeout-seconds must be a number above 0 and at most 3600')
  if (problems.length > 0) throw invalid('Invalid flags for btt payfi reconcile.', { problems })
  return {
    rpc: values.rpc!,
    ledger: values.ledger!,
    deployment: values.deployment!,
    maxPendingMs: minutes * 60_000,
    timeoutSeconds: timeout,
  }
}

/** `btt payfi reconcile`: prints the report; a difference is a `PAYFI_RECONCILE_MISMATCH` (exit 10). */
export async function payfiReconcile(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rpc: { type: 'string' },
      ledger: { type: 'string' },
      deployment: { type: 'string' },
      // default: @btt/core's settlement.maxPendingSeconds (2 hours)
      'max-pending-minutes': {
        type: 'string',
        default: String(Math.ceil(defaultConfig.settlement.maxPendingSeconds / 60)),
      },
      'timeout-seconds': { type: 'string', default: '30' },
    },
  })
  const f = readFlags(values)
  if (!existsSync(f.ledger))
    throw invalid(`The ledger ${f.ledger} does not exist.`, { file: f.ledger })
  const deployment = readDeployment(f.deployment)
  const assets: Partial<Record<Currency, SettlementAsset>> = {
    ...deployment.settlementAssets,
    BTT: { token: deployment.token, decimals: 18 },
  }
  const { provider, chainId } = await connectReadOnly({
    rpcUrl: f.rpc,
    timeoutSeconds: f.timeoutSeconds,
  })
  const ledger = openSqliteLedger(f.ledger)
  try {
    const chain = createEvmSettlementChain({
      provider,
      address: deployment.deployer,
      chainId,
      batchPayout: deployment.batchPayout,
      ...(deployment.fromBlock !== undefined ? { fromBlock: deployment.fromBlock } : {}),
    })
    const report = await reconcile(ledger, {
      chain,
      assets,
      maxPendingMs: f.maxPendingMs,
    })
    io.out.write(io.json ? `${JSON.stringify(report)}\n` : describe(report))
    if (report.differences.length > 0)
      throw new PayfiError(
        'PAYFI_RECONCILE_MISMATCH',
        `${report.differences.length} difference(s) between the chain and the ledger.`,
        { details: { differences: report.differences } },
      )
    return 0
  } finally {
    await ledger.close()
    provider.destroy()
  }
}

function describe(r: ReconcileReport): string {
  const lines = [
    `chain: ${r.chain}`,
    `ledger batches: ${r.batches.posted} posted, ${r.batches.pending} pending, ${r.batches.voided} voided; chain batches: ${r.batches.chainEvents}`,
    ...r.totals.map(
      (t) =>
        `  ${t.currency.padEnd(4)} ${t.token}  ledger paid ${t.ledgerPosted}, in flight ${t.ledgerInFlight}; chain paid ${t.chainPaid}`,
    ),
    r.differences.length === 0 ? 'no differences' : `${r.differences.length} difference(s):`,
    ...r.differences.map((d) => `  ${d.kind} ${JSON.stringify(d)}`),
  ]
  return `${lines.join('\n')}\n`
}
