import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { serializeStatement } from '@btt/compute/network'
import { openVault } from '@btt/connectors'
import { formatUnits } from '@btt/core'
import { openSqliteLedger } from '@btt/payfi'
import { findAnvil, settleOnAnvil } from './anvil.js'
import { renderSummary, type SummaryPage } from './html.js'
import {
  btt,
  capturePayment,
  cny,
  fundAccount,
  fundEpoch,
  ledgerBalance,
  NETWORK_MERCHANT,
  settleOnSimulatedChain,
} from './money.js'
import { analyzeRemote, awaitMeasurements, CLINIC, startNetwork } from './network.js'
import { MARKER, prepareOutput } from './output.js'
import { awardVisit } from './points.js'
import { createReporter } from './progress.js'
import { writeResults } from './results.js'
import { deidentifyStudy, makeStudy, PATIENT, quoteJob, STUDY } from './study.js'

export type DemoOptions = {
  /** The output folder: missing, empty or a previous demo output (see output.ts). */
  out: string
  write?: (text: string) => void
  /** Live progress on long steps (only on a terminal). */
  tty?: boolean
  /** Where the epoch settles: anvil when its binary is installed (`auto`, the default), or PayFi's simulated chain. */
  chain?: 'auto' | 'simulated'
}

type Step = SummaryPage['steps'][number]

/**
 * The whole system end to end, on embedded defaults (nothing to start by hand): a chest study is
 * made, de-identified, quoted, analysed by contributor nodes through an in-process coordinator
 * with signed receipts, its results written as DICOM SR/SEG/SC and a FHIR Bundle (re-identified),
 * paid for through PayFi, the epoch closed (70/15/10/5, dividend shares plus emission) and settled
 * on a simulated chain, and the patient's preventive-care points awarded. Writes `summary.html`
 * and {@link MARKER} (the machine-readable account) into the folder.
 *
 * @returns the final folder and the account written to {@link MARKER}.
 */
export async function runDemo(options: DemoOptions) {
  const write = options.write ?? ((t: string) => process.stdout.write(t))
  const say = createReporter(write, { tty: options.tty ?? false })
  const final = resolve(options.out)
  const output = prepareOutput(final)
  const root = output.staging
  const shown = (p: string) => join(final, relative(root, p))
  const steps: Step[] = []
  const report = (step: Step) => {
    steps.push(step)
    say.line(
      `${step.n}. ${step.title}${step.status === 'done' ? '' : ` [${step.status.toUpperCase()}]`}`,
    )
    for (const l of step.lines) say.line(`   ${l}`)
    for (const f of step.files) say.line(`   → ${f}`)
  }
  const t0 = Date.now()
  const { vault, ledger } = openStores(root)
  let network: Awaited<ReturnType<typeof startNetwork>> | undefined
  try {
    // 1. the study
    const study = makeStudy(join(root, 'study'))
    report({
      n: 1,
      title: 'Study',
      status: 'done',
      lines: [
        `synthetic chest study ${STUDY}: ${study.files.length} DX images of ${PATIENT.id} (one with a round opacity)`,
      ],
      files: study.files.map(shown),
    })

    // 2. de-identification
    const deid = deidentifyStudy(study, join(root, 'deidentified'), vault)
    const pseudonym = deid.results[0]!.patient.pseudonym ?? 'unknown'
    report({
      n: 2,
      title: 'De-identified (PS3.15) before it leaves the clinic',
      status: 'done',
      lines: [
        `patient pseudonym ${pseudonym}; study UID → ${deid.results[0]!.uids.get(STUDY) ?? '(new)'}`,
        `MRN, name or study UID in what leaves: ${deid.leaks.length ? `YES (${deid.leaks.join(', ')})` : 'none'}`,
        'the pseudonyms stay in the clinic’s vault',
      ],
      files: [...deid.files.map(shown), shown(join(root, 'private', 'vault.sqlite'))],
    })

    // 3. the quote
    const quote = quoteJob(1, 512 * 512 * 4, 0.05)
    report({
      n: 3,
      title: 'Quote',
      status: 'done',
      lines: [
        ...quote.lines.map((l) => `${l.kind}: ${l.description} ${cny(l.amount)}`),
        `${cny(quote.total)} per image (one job each), ${cny(quote.total * BigInt(study.files.length))} for the study; the coordinator bills each job by the same schedule`,
      ],
      files: [],
    })

    // 4. the compute network
    network = await say.step('starting a coordinator and 3 contributor nodes…', () =>
      startNetwork(),
    )
    const net = network
    const remote = await say.step('analysing on the contributor nodes…', () =>
      analyzeRemote(net, deid.files),
    )
    const { result } = remote
    const receipts = result.receipts ?? []
    mkdirSync(join(root, 'network'))
    const receiptsFile = join(root, 'network', 'receipts.json')
    writeFileSync(receiptsFile, `${JSON.stringify(receipts, null, 2)}\n`)
    const billed = receipts.reduce((t, r) => t + BigInt(r.billed), 0n)
    report({
      n: 4,
      title: 'Analysed on contributor nodes (in-process coordinator, loopback)',
      status: 'done',
      lines: [
        `${result.model.name} ${result.model.version} via ${result.backend.name}; nodes ${net.nodes.map((n) => `${n.address.slice(0, 10)}… (${n.region})`).join(', ')}`,
        ...result.images.map(
          (i) =>
            `${i.file.split('/').pop()}: ${i.findings.map((f) => `${f.label} ${(f.probability * 100).toFixed(1)}% ${f.present ? 'present' : 'absent'}`).join(', ')}`,
        ),
        ...receipts.map(
          (r, k) =>
            `receipt ${r.jobId.slice(0, 12)}… signed by ${remote.signers[k]!.slice(0, 10)}… (EIP-712, verified here), cross-checked by ${r.verifiedBy.length} other node(s), billed ${cny(r.billed)}`,
        ),
        `${result.failures.length} failed; billed in all ${cny(billed)}`,
      ],
      files: [shown(receiptsFile)],
    })

    // 5. results
    const written = await writeResults(result, {
      deidentified: deid.results.map((r) => r.bytes),
      originals: study.bytes,
      vault,
      dir: join(root, 'results'),
    })
    report({
      n: 5,
      title: 'Results for the PACS and the EHR (re-identified)',
      status: 'done',
      lines: [
        `DICOM SR (TID 1500), ${written.segs.length} SEG, ${written.overlay ? 1 : 0} Secondary Capture overlay; ${written.restored} values restored from the vault, so they reference ${STUDY} again`,
        `FHIR R4 transaction Bundle for patient ${PATIENT.id} (DiagnosticReport, Observations, ImagingStudy, Device)`,
      ],
      files: [
        written.sr,
        ...written.segs,
        ...(written.overlay ? [written.overlay] : []),
        written.bundle,
      ].map(shown),
    })

    // 6. the clinic's payment
    const orderId = `ord-${result.studyInstanceUids[0]!.slice(-12).replace(/[^0-9.]/g, '')}`
    const payment = await capturePayment(ledger, { amount: billed, orderId })
    report({
      n: 6,
      title: 'Clinic pays through PayFi (embedded SQLite ledger)',
      status: 'done',
      lines: [
        `${payment.id} ${payment.status}: gross ${cny(payment.quote.gross)}, fee ${cny(payment.feeCaptured)} (${payment.quote.bps} bps), net ${cny(payment.quote.net)} to ${NETWORK_MERCHANT}`,
        `clinic ${CLINIC}; create, authorize and capture each under an idempotency key`,
      ],
      files: [shown(join(root, 'ledger', 'payfi.sqlite'))],
    })

    // 7. the epoch
    const epochId = 'demo-epoch-0'
    const closed = await say.step(
      'closing the epoch (the coordinator’s own uptime measurements)…',
      async () => {
        await awaitMeasurements(net, { pings: 5, timeoutMs: 15_000 })
        return net.coordinator.epoch({ epochId, epoch: 0, epochSeconds: 3600 })
      },
    )
    const s = closed.statement
    const statementFile = join(root, 'network', 'statement.json')
    writeFileSync(statementFile, serializeStatement(s))
    const { reserveNet } = await fundEpoch(ledger, {
      epochId,
      revenue: s.revenue,
      fee: payment.feeCaptured,
    })
    const onAnvil = (options.chain ?? 'auto') === 'auto' && findAnvil() !== undefined
    const settled = onAnvil
      ? await say.step('settling on anvil (starting it, deploying BTT and BatchPayout)…', () =>
          settleOnAnvil(ledger, s.payout),
        )
      : await say.step('settling on the simulated chain…', () =>
          settleOnSimulatedChain(ledger, s.payout),
        )
    const chainName = onAnvil ? 'anvil' : 'SIMULATED chain'
    const settlementFile = join(root, 'network', 'settlement.json')
    writeFileSync(
      settlementFile,
      `${JSON.stringify({ chain: settled.label, tokens: settled.tokens, batches: settled.batches, onChain: settled.onChain, differences: settled.differences }, (_, v) => (typeof v === 'bigint' ? String(v) : v), 2)}\n`,
    )
    report({
      n: 7,
      title: 'Epoch closed, split 70/15/10/5, contributors paid',
      status: onAnvil ? 'done' : 'simulated',
      lines: [
        `revenue ${cny(s.revenue.total!)}: contributors ${cny(s.revenue.contributors!)}, dev fund ${cny(s.revenue.devFund!)}, foundation ${cny(s.revenue.foundation!)}, reserve ${cny(s.revenue.reserve!)} (PayFi's fee ${cny(payment.feeCaptured)} borne by the reserve: ${cny(reserveNet)})`,
        `epoch emission ${btt(s.emission)} by dividendShares (uptime, latency, throughput, region, efficiency)`,
        ...s.nodes.map(
          (n) =>
            `${n.address.slice(0, 10)}… (${n.region}): ${n.jobs} paid job(s), uptime ${(n.uptimePpm / 10_000).toFixed(1)}%, ${n.latencyMs} ms → ${n.factors ? `${cny(n.revenueShare)} + ${btt(n.emission)}` : 'nothing (no paid job this epoch)'}`,
        ),
        `settled on the ${settled.label}: ${settled.batches.map((b) => `${b.batchId} ${b.status}`).join(', ')}`,
        ...settled.onChain.map(
          (n) =>
            `on chain ${n.address.slice(0, 10)}… holds ${formatUnits(n.cny, 6)} tCNY and ${btt(n.btt)}`,
        ),
        `reconciliation, ledger against chain: ${settled.differences.length === 0 ? 'they agree' : `${settled.differences.length} difference(s)`}`,
        ...(onAnvil || options.chain === 'simulated'
          ? []
          : [
              '(anvil is not installed here; with npm `@foundry-rs/anvil` this settles on a local EVM node)',
            ]),
      ],
      files: [statementFile, settlementFile].map(shown),
    })

    // 8. the patient's points
    const points = await awardVisit(ledger, {
      pseudonym,
      eventId: `visit-${STUDY}`,
      at: Math.floor(Date.now() / 1000),
    })
    report({
      n: 8,
      title: 'Preventive-care points for the patient',
      status: 'done',
      lines: [
        `preventive visit: ${points.award.points} points (${points.award.status}); the same event again: ${points.repeat.status}`,
        `posted to the ledger's POINTS unit for pseudonym ${pseudonym}: balance ${points.balance}`,
      ],
      files: [],
    })

    // 9. summary
    const balance = await ledgerBalance(ledger)
    const money: SummaryPage['money'] = [
      {
        from: CLINIC,
        to: `${NETWORK_MERCHANT} (gross)`,
        amount: cny(payment.amountCaptured),
        minor: payment.amountCaptured,
        note: 'captured through PayFi',
      },
      {
        from: NETWORK_MERCHANT,
        to: 'PayFi fees',
        amount: cny(payment.feeCaptured),
        minor: payment.feeCaptured,
        note: `${payment.quote.bps} bps`,
      },
      {
        from: NETWORK_MERCHANT,
        to: 'contributors (70%)',
        amount: cny(s.revenue.contributors!),
        minor: BigInt(s.revenue.contributors!),
        note: 'compute_revenue:CNY',
      },
      {
        from: NETWORK_MERCHANT,
        to: 'dev fund (15%)',
        amount: cny(s.revenue.devFund!),
        minor: BigInt(s.revenue.devFund!),
        note: fundAccount('devFund'),
      },
      {
        from: NETWORK_MERCHANT,
        to: 'foundation (10%)',
        amount: cny(s.revenue.foundation!),
        minor: BigInt(s.revenue.foundation!),
        note: fundAccount('foundation'),
      },
      {
        from: NETWORK_MERCHANT,
        to: 'reserve (5% less the fee)',
        amount: cny(reserveNet),
        minor: reserveNet,
        note: fundAccount('reserve'),
      },
      ...s.payout.nodes.flatMap((n) => [
        {
          from: 'compute_revenue:CNY',
          to: `node ${n.address.slice(0, 10)}…`,
          amount: cny(n.revenueShare),
          minor: BigInt(n.revenueShare),
          note: `revenue share, ${chainName}`,
        },
        {
          from: 'emission:BTT',
          to: `node ${n.address.slice(0, 10)}…`,
          amount: btt(n.emission),
          minor: 0n,
          note: `emission, ${chainName}`,
        },
      ]),
    ]
    const summaryFile = join(root, 'summary.html')
    const account = {
      version: 1,
      createdAt: new Date().toISOString(),
      seconds: (Date.now() - t0) / 1000,
      steps: steps.map((x) => ({ ...x, files: x.files.map((f) => relative(final, f)) })),
      payment: {
        id: payment.id,
        gross: String(payment.amountCaptured),
        fee: String(payment.feeCaptured),
        net: String(payment.quote.net),
      },
      revenue: s.revenue,
      emission: s.emission,
      payout: s.payout,
      settlement: {
        chain: settled.label,
        differences: settled.differences.length,
        onChain: settled.onChain.map((n) => ({
          address: n.address,
          cny: String(n.cny),
          btt: String(n.btt),
        })),
        batches: settled.batches.map((b) => ({
          id: b.batchId,
          status: b.status,
          total: String(b.total),
        })),
      },
      points: { pseudonym, points: points.award.points, balance: String(points.balance) },
      ledger: Object.fromEntries(
        Object.entries(balance.totals).map(([c, t]) => [
          c,
          { debits: String(t.debits), credits: String(t.credits) },
        ]),
      ),
    }
    report({
      n: 9,
      title: 'Summary',
      status: 'done',
      lines: [
        `ledger: ${balance.transfers} transfers over ${balance.accounts.length} accounts; ${Object.entries(
          balance.totals,
        )
          .map(([c, t]) => `${c} debits ${t.debits} = credits ${t.credits}`)
          .join('; ')}`,
        `finished in ${account.seconds.toFixed(1)} s`,
      ],
      files: [shown(summaryFile), shown(join(root, MARKER))],
    })
    account.steps = steps.map((x) => ({ ...x, files: x.files.map((f) => relative(final, f)) }))
    writeFileSync(
      summaryFile,
      renderSummary({
        title: `BTT demo — study ${STUDY}`,
        steps,
        ...(written.preview
          ? {
              overlay: {
                ...written.preview,
                caption: `${written.preview.label} ${(written.preview.probability * 100).toFixed(1)}% — box from the contributor nodes’ analysis, on the original image`,
              },
            }
          : {}),
        money,
      }),
    )
    writeFileSync(join(root, MARKER), `${JSON.stringify(account, null, 2)}\n`)
  } catch (error) {
    await network?.close()
    network = undefined
    vault.close()
    await ledger.close()
    rmSync(root, { recursive: true, force: true })
    throw error
  }
  await network?.close()
  vault.close()
  await ledger.close()
  return { dir: output.commit() }
}

/** The clinic's vault and PayFi's ledger inside the staging folder (removed if either fails). */
function openStores(root: string) {
  try {
    mkdirSync(join(root, 'private'))
    mkdirSync(join(root, 'ledger'))
    const vault = openVault(join(root, 'private', 'vault.sqlite'))
    try {
      return { vault, ledger: openSqliteLedger(join(root, 'ledger', 'payfi.sqlite')) }
    } catch (error) {
      vault.close()
      throw error
    }
  } catch (error) {
    rmSync(root, { recursive: true, force: true })
    throw error
  }
}
