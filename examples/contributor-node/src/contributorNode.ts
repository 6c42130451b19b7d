import assert from 'node:assert'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { analyze, demoModelManifestPath, loadModel } from '@btt/compute'
import {
  type ComputeEpochStatement,
  type Coordinator,
  createApiKey,
  createCoordinator,
  createNode,
  type RemoteReceipt,
  serializeStatement,
  verifyEpoch,
  verifyReceipt,
} from '@btt/compute/network'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { defaultConfig, formatUnits } from '@btt/core'
import { loadOrCreateNodeKey } from './nodeKey.js'

export type ContributorNodeOptions = {
  /** A folder for the node's key, the job's image and the epoch files. */
  dir: string
  /** The coordinator to join; when omitted, one is started in this process (in memory). */
  coordinator?: string
  /** A clinic API key of `coordinator`, to send it one job; needed only with `coordinator`. */
  apiKey?: string
  region?: string
  /** Called with each line as it is printed. */
  say?: (line: string) => void
}

export type ContributorNodeResult = {
  address: string
  receipt: RemoteReceipt | undefined
  /** This node's line of the epoch statement (in-process coordinator only). */
  earnings: ComputeEpochStatement['nodes'][number] | undefined
  /** Stops the node (and the in-process coordinator). */
  close(): Promise<void>
}

const cny = (fen: string) =>
  `${formatUnits(BigInt(fen), defaultConfig.computePricing.minorDecimals, { trim: false })} CNY`
const btt = (wei: string) => `${formatUnits(BigInt(wei), 18)} BTT`

/**
 * A contributor's node, start to finish: a key is made (or read) in `dir/node.key`, the node
 * joins the coordinator (registering by signing its challenge) and serves the demonstration model
 * on this machine's CPU; a clinic sends it a job and gets back the output with the node's EIP-712
 * signed receipt, checked here. With the in-process coordinator the epoch is then closed from the
 * coordinator's own measurements (uptime and latency from its pings) and this node's line of the
 * statement — its revenue share and its emission — is printed; anyone holding the receipts can
 * recompute the statement (`verifyEpoch`), which this does too.
 *
 * @returns the node's address, the receipt, its earnings line and `close()`.
 */
export async function runContributorNode(
  options: ContributorNodeOptions,
): Promise<ContributorNodeResult> {
  const say = options.say ?? (() => {})
  const model = await loadModel(demoModelManifestPath(), { backend: 'cpu', intraOpThreads: 1 })
  const own = options.coordinator
    ? undefined
    : await createCoordinator({ verifyFraction: 0, pingEveryMs: 100 })
  const url = options.coordinator ?? own!.url
  say(
    own
      ? `1. coordinator started in this process on ${url} (in memory; give --coordinator <url> to join yours)`
      : `1. joining the coordinator ${url}`,
  )
  const keyFile = join(options.dir, 'node.key')
  const key = loadOrCreateNodeKey(keyFile)
  const node = await createNode({
    coordinator: url,
    privateKey: key.privateKey,
    region: options.region ?? 'cn-east',
    models: [model],
  }).catch(async (error) => {
    await own?.close()
    throw error
  })
  const close = async () => {
    await node.close()
    await own?.close()
  }
  try {
    say(
      `2. node key ${key.created ? 'created' : 'read'}: ${keyFile} (mode 600), address ${node.address}`,
    )
    say(
      `3. registered: serving ${model.manifest.id} (sha256 ${model.sha256.slice(0, 12)}…) on ${model.backend.backend} at ${node.url}`,
    )
    const apiKey = own ? await createApiKey(own.store, 'clinic_example') : options.apiKey
    if (!apiKey) {
      say('4. no --api-key for that coordinator: no job sent; the node waits for the clinics’ jobs')
      return { address: node.address, receipt: undefined, earnings: undefined, close }
    }
    const receipt = await serveOneJob(options.dir, url, apiKey, node.address, say)
    const earnings = own ? await closeEpoch(own, options.dir, node.address, say) : undefined
    if (!own) say('6. the epoch statement is the coordinator operator’s (btt coordinator epoch)')
    return { address: node.address, receipt, earnings, close }
  } catch (error) {
    await close()
    throw error
  }
}

/** A clinic's job: one chest image analysed through the coordinator; the receipt checked. */
async function serveOneJob(
  dir: string,
  url: string,
  apiKey: string,
  address: string,
  say: (line: string) => void,
): Promise<RemoteReceipt> {
  const image = join(dir, 'chest.dcm')
  writeFileSync(
    image,
    writeDicom({
      frames: [
        syntheticChest({ seed: 7, nodules: [{ x: 256, y: 256, radius: 12, contrast: 650 }] }),
      ],
      rows: 512,
      columns: 512,
    }),
  )
  const result = await analyze([image], { backend: 'remote', coordinator: { url, apiKey } })
  const receipt = result.receipts?.[0]
  assert.ok(receipt, 'the coordinator answered without a receipt')
  const r = receipt.signed.receipt
  const signer = verifyReceipt(receipt.signed)
  const finding = result.images[0]?.findings[0]
  say(
    `4. served job ${r.jobId}: ${finding ? `${finding.label} ${(finding.probability * 100).toFixed(1)}%` : 'no finding'}, inference ${(Number(r.inferenceMicros) / 1000).toFixed(1)} ms, billed ${cny(receipt.billed)}`,
  )
  say(
    `   signed receipt (EIP-712): input ${r.inputHash.slice(0, 12)}…, output ${r.outputHash.slice(0, 12)}…, nonce ${r.nonce.slice(0, 12)}…, signature ${receipt.signed.signature.slice(0, 14)}…`,
  )
  say(
    `   signer recovered from the signature: ${signer}${signer.toLowerCase() === address.toLowerCase() ? ' (this node)' : ' (another node)'}`,
  )
  return receipt
}

/**
 * The epoch closed from the coordinator's measurements, once it has pinged this node a few times
 * (uptime below the floor earns nothing); the statement and receipts written and re-verified.
 */
async function closeEpoch(
  coordinator: Coordinator,
  dir: string,
  address: string,
  say: (line: string) => void,
): Promise<ComputeEpochStatement['nodes'][number]> {
  const me = address.toLowerCase()
  const deadline = Date.now() + 15_000
  for (;;) {
    const s = (await coordinator.store.allStats()).get(me)
    if ((s && s.pingsOk >= 5 && s.pingsOk / s.pings >= 0.95) || Date.now() > deadline) break
    await new Promise((r) => setTimeout(r, 100))
  }
  const { statement, receipts } = await coordinator.epoch({
    epochId: 'example-epoch-0',
    epoch: 0,
    epochSeconds: 3600,
  })
  const statementFile = join(dir, 'statement.json')
  const receiptsFile = join(dir, 'receipts.json')
  writeFileSync(statementFile, serializeStatement(statement))
  writeFileSync(receiptsFile, `${JSON.stringify(receipts)}\n`)
  const verified = verifyEpoch(serializeStatement(statement), JSON.stringify(receipts))
  const line = statement.nodes.find((n) => n.address.toLowerCase() === me)
  assert.ok(line, `the statement has no line for ${address}`)
  say(
    `5. epoch ${statement.epochId} closed: revenue ${cny(statement.revenue.total!)}, contributors' 70% ${cny(statement.revenue.contributors!)}, emission ${btt(statement.emission)}`,
  )
  say(
    `   this node: ${line.jobs} paid job(s), uptime ${(line.uptimePpm / 10_000).toFixed(1)}%, latency ${line.latencyMs} ms → earns ${cny(line.revenueShare)} + ${btt(line.emission)}`,
  )
  say(
    `   statement ${statementFile} (content hash ${statement.contentHash.slice(0, 16)}…), recomputed from ${receiptsFile}: ${verified.contentHash === statement.contentHash ? 'identical' : 'DIFFERENT'}`,
  )
  return line
}
