import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatUnits } from '@btt/core'
import {
  type BatchOutcome,
  createApiKey,
  createPayfiServer,
  createPayments,
  createSettlement,
  createWebhookDispatcher,
  type Difference,
  openSqliteLedger,
  type PayfiStore,
  reconcile,
} from '@btt/payfi'
import { type ChainConnection, connectChain, createEvmSettlementChain } from '@btt/payfi/evm'
import { Wallet } from 'ethers'
import { type ApiPayment, apiClient } from './api.js'
import { deploySettlementContracts, startMiner } from './chain.js'
import { type ReceivedEvent, startWebhookReceiver, type WebhookReceiver } from './receiver.js'

export type FlowSummary = {
  payment: ApiPayment
  /** The create replayed with its Idempotency-Key answered the same payment. */
  replayedSameId: boolean
  /** The same key with another body was refused with this code. */
  conflictCode: string
  /** The verified `payment.captured` event, and how many events were verified / refused. */
  webhook: ReceivedEvent
  webhooksVerified: number
  webhooksRefused: number
  /** The receiver's answer to the same event re-serialised (pretty-printed) with its signature. */
  reserialisedStatus: number
  clinicAddress: string
  /** The clinic's stablecoin balance on chain, in the asset's base units (6 decimals). */
  clinicBalance: bigint
  assetDecimals: number
  batches: BatchOutcome[]
  chainLabel: string
  differences: Difference[]
  /** What the ledger says went out (`chain_payouts:CNY`) and what the chain paid, asset units. */
  totals: { ledgerPosted: string; ledgerInFlight: string; chainPaid: string }
}

const CLINIC = 'clinic_sh_01'
const cny = (fen: string | bigint) => `${formatUnits(BigInt(fen), 2, { trim: false })} CNY`

/**
 * A fintech takes a CNY payment for a clinic over the PayFi REST API (create, authorize, capture,
 * each with an Idempotency-Key), receives the signed webhook on its own endpoint and verifies it
 * against the raw body, then the operator settles the clinic's net on an EVM chain (a test CNY
 * stablecoin paid through BatchPayout) and reconciles the ledger with the chain.
 *
 * @param parameters - an RPC URL and two funded keys: the operator's, then the clinic's wallet.
 * @returns what happened at each step.
 */
export async function runFlow(parameters: {
  rpcUrl: string
  privateKeys: readonly string[]
  log?: (line: string) => void
}): Promise<FlowSummary> {
  const log = parameters.log ?? (() => undefined)
  const dir = await mkdtemp(join(tmpdir(), 'btt-fintech-payfi-'))
  const store = openSqliteLedger(join(dir, 'payfi.sqlite'))
  const secret = `whsec_${randomBytes(24).toString('hex')}`
  const receiver = await startWebhookReceiver(secret)
  // what `btt payfi serve --webhook-url … --webhook-secret-file …` runs, here in-process
  const server = createPayfiServer({ store, payments: createPayments(store) })
  const stopDispatcher = startDispatcher(store, receiver.url, secret)
  let operator: ChainConnection | undefined
  try {
    const baseUrl = await listen(server)
    log(`payfi API on ${baseUrl}/v1/payments (SQLite ledger in ${dir})`)
    log(`webhook receiver on ${receiver.url}`)
    const apiKey = await createApiKey(store, CLINIC)
    log(`API key created for ${CLINIC}: ${apiKey.slice(0, 7)}… (only its sha-256 is stored)`)
    const taken = await takePayment(baseUrl, apiKey, receiver, log)
    operator = await connectChain({
      rpcUrl: parameters.rpcUrl,
      privateKey: parameters.privateKeys[0]!,
      timeoutSeconds: 10,
    })
    const clinicAddress = new Wallet(parameters.privateKeys[1]!).address
    const settled = await settleOnChain(store, operator, parameters.rpcUrl, clinicAddress, log)
    return {
      ...taken,
      ...settled,
      clinicAddress,
      webhooksVerified: receiver.verified.length,
      webhooksRefused: receiver.refused,
    }
  } finally {
    await stopDispatcher()
    await new Promise((resolve) => server.close(resolve))
    await receiver.close()
    await store.close()
    operator?.provider.destroy()
    await rm(dir, { recursive: true, force: true })
  }
}

/** Create, replay, conflict, authorize, capture over HTTP; then the verified webhook. */
async function takePayment(
  baseUrl: string,
  apiKey: string,
  receiver: WebhookReceiver,
  log: (line: string) => void,
) {
  const { attempt, post } = apiClient(baseUrl, apiKey)
  const order = { amount: '1000.00', currency: 'CNY', metadata: { order_id: 'ord-1001' } }
  const created = await post('/v1/payments', 'ord-1001-create', order)
  const p = created.payment
  log(
    `POST /v1/payments → ${created.status} ${p.id}: gross ${cny(p.quote.gross)}, fee ${cny(p.quote.fee)} (${p.quote.bps} bps), net ${cny(p.quote.net)}`,
  )
  const replay = await post('/v1/payments', 'ord-1001-create', order)
  const replayedSameId = replay.payment.id === p.id
  log(`same Idempotency-Key, same body → ${replay.status} ${replay.payment.id} (the first answer)`)
  const conflict = await attempt('/v1/payments', 'ord-1001-create', { ...order, amount: '999.00' })
  log(`same Idempotency-Key, other body → ${conflict.status} ${conflict.code}`)
  const authorized = await post(`/v1/payments/${p.id}/authorize`, 'ord-1001-authorize')
  log(`authorize → ${authorized.payment.status} (a pending ledger transfer)`)
  const captured = await post(`/v1/payments/${p.id}/capture`, 'ord-1001-capture')
  const c = captured.payment
  log(`capture → ${c.status}: ${cny(c.amountCaptured)}, fee ${cny(c.feeCaptured)}`)
  const webhook = await receiver.waitFor('payment.captured', p.id, 15_000)
  log(
    `webhook ${webhook.type} (sequence ${webhook.sequence}) verified against the raw body; ${receiver.verified.length} events verified, ${receiver.refused} refused`,
  )
  const reserialisedStatus = await postReserialised(receiver)
  log(
    `the same event re-serialised (pretty-printed JSON), same signature → ${reserialisedStatus}: the signature covers the raw bytes`,
  )
  return {
    payment: c,
    replayedSameId,
    conflictCode: conflict.code ?? '',
    webhook,
    reserialisedStatus,
  }
}

/** The commonest integration bug: verifying `JSON.stringify(parsed body)` instead of the raw bytes. */
async function postReserialised(receiver: WebhookReceiver): Promise<number> {
  const last = receiver.last!
  const r = await fetch(receiver.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'payfi-signature': last.signature },
    body: JSON.stringify(JSON.parse(last.raw.toString('utf8')), null, 2),
    signal: AbortSignal.timeout(10_000),
  })
  await r.body?.cancel()
  return r.status
}

/** Deploys the stablecoin and BatchPayout, runs settlement, reads the balance, reconciles. */
async function settleOnChain(
  store: PayfiStore,
  operator: ChainConnection,
  rpcUrl: string,
  clinicAddress: string,
  log: (line: string) => void,
) {
  const { stablecoin, batchPayout, decimals } = await deploySettlementContracts(
    operator,
    10n ** 12n,
  )
  log(
    `deployed on anvil: test CNY stablecoin ${stablecoin} (${decimals} decimals), BatchPayout ${batchPayout}`,
  )
  const chain = createEvmSettlementChain({ ...operator, batchPayout })
  const assets = { CNY: { token: stablecoin, decimals } }
  const settlement = createSettlement(store, {
    chain,
    assets,
    payees: { [CLINIC]: clinicAddress },
    pollMs: 100,
  })
  const stopMiner = startMiner(rpcUrl)
  let batches: BatchOutcome[]
  try {
    batches = (await settlement.run()).batches
  } finally {
    stopMiner()
  }
  for (const b of batches)
    log(
      `settlement on ${chain.label}: batch ${b.batchId} ${b.status}, ${cny(b.total)} to ${b.payouts} payee(s), tx ${b.transactionHash}`,
    )
  const clinicBalance = await chain.balanceOf(stablecoin, clinicAddress)
  log(`clinic ${clinicAddress} holds ${formatUnits(clinicBalance, decimals)} tCNY on chain`)
  const report = await reconcile(store, { chain, assets })
  const totals = report.totals.find((t) => t.currency === 'CNY')!
  log(
    `ledger chain_payouts:CNY posted ${formatUnits(BigInt(totals.ledgerPosted), decimals)} tCNY, in flight ${totals.ledgerInFlight}; chain BatchPaid total ${formatUnits(BigInt(totals.chainPaid), decimals)} tCNY`,
  )
  log(
    report.differences.length === 0
      ? 'reconciliation: the ledger and the chain agree'
      : `reconciliation: ${report.differences.length} difference(s): ${JSON.stringify(report.differences)}`,
  )
  return {
    clinicBalance,
    assetDecimals: decimals,
    batches,
    chainLabel: chain.label,
    differences: report.differences,
    totals,
  }
}

/** Delivers outbox events every 100 ms, like `btt payfi serve --webhook-url` does every second. */
function startDispatcher(store: PayfiStore, url: string, secret: string): () => Promise<void> {
  const dispatcher = createWebhookDispatcher(store, {
    endpoint: (merchant) => (merchant === CLINIC ? { url, secret } : null),
    timeoutMs: 5000,
  })
  let stopped = false
  let running: Promise<unknown> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  const tick = () => {
    running = dispatcher.runOnce().catch(() => undefined)
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, 100)
    })
  }
  tick()
  return async () => {
    stopped = true
    clearTimeout(timer)
    await running
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}
