import { type AnalysisResult, analyze, demoModelManifestPath, loadModel } from '@btt/compute'
import {
  type ComputeNode,
  type Coordinator,
  createApiKey,
  createCoordinator,
  createNode,
  verifyReceipt,
} from '@btt/compute/network'
import { Wallet } from 'ethers'

export const CLINIC = 'clinic_sh_01'
export const REGIONS = ['cn-east', 'cn-west', 'cn-south'] as const

export type Network = {
  coordinator: Coordinator
  nodes: { address: string; region: string; url: string }[]
  apiKey: string
  close(): Promise<void>
}

/**
 * An in-process coordinator (SQLite store in memory) and three contributor nodes on loopback, each
 * with its own key, serving the demonstration model on this machine's CPU. Every job also runs on
 * a second node (verifyFraction 1), so each receipt is verified by another contributor.
 */
export async function startNetwork(): Promise<Network> {
  const model = await loadModel(demoModelManifestPath(), { backend: 'cpu', intraOpThreads: 1 })
  const coordinator = await createCoordinator({ verifyFraction: 1, pingEveryMs: 100 })
  const started: ComputeNode[] = []
  try {
    const apiKey = await createApiKey(coordinator.store, CLINIC)
    const nodes = []
    for (const region of REGIONS) {
      const wallet = Wallet.createRandom()
      const node = await createNode({
        coordinator: coordinator.url,
        privateKey: wallet.privateKey,
        region,
        models: [model],
      })
      started.push(node)
      nodes.push({ address: wallet.address.toLowerCase(), region, url: node.url })
    }
    return {
      coordinator,
      nodes,
      apiKey,
      async close() {
        await Promise.all(started.map((n) => n.close()))
        await coordinator.close()
      },
    }
  } catch (error) {
    await Promise.all(started.map((n) => n.close()))
    await coordinator.close()
    throw error
  }
}

/**
 * Step 4: the de-identified study analysed through the coordinator, one job per image sent at
 * once (as a clinic with several studies would), so the coordinator spreads them over the nodes;
 * each receipt's signature is checked again here. The per-image results are joined into one.
 */
export async function analyzeRemote(
  network: Network,
  files: string[],
): Promise<{ result: AnalysisResult; signers: string[] }> {
  const parts = await Promise.all(
    files.map((file) =>
      analyze([file], {
        backend: 'remote',
        coordinator: { url: network.coordinator.url, apiKey: network.apiKey },
      }),
    ),
  )
  const first = parts[0]!
  const result: AnalysisResult = {
    ...first,
    studyInstanceUids: [...new Set(parts.flatMap((p) => p.studyInstanceUids))],
    images: parts.flatMap((p) => p.images),
    failures: parts.flatMap((p) => p.failures),
    receipts: parts.flatMap((p) => p.receipts ?? []),
    timings: {
      decodeMs: parts.reduce((t, p) => t + p.timings.decodeMs, 0),
      preprocessMs: parts.reduce((t, p) => t + p.timings.preprocessMs, 0),
      inferenceMs: parts.reduce((t, p) => t + p.timings.inferenceMs, 0),
      totalMs: Math.max(...parts.map((p) => p.timings.totalMs)),
    },
  }
  const signers = (result.receipts ?? []).map((r) => verifyReceipt(r.signed).toLowerCase())
  return { result, signers }
}

/**
 * The coordinator's own measurements (pings: uptime and latency) feed the dividend formula; a
 * run of a few seconds has few of them. This waits, at most `timeoutMs`, until every node has
 * `pings` answered pings and at least 95% of its pings answered, so one slow ping on a busy
 * machine does not push a node under the uptime floor. It returns the measured uptime per node.
 */
export async function awaitMeasurements(
  network: Network,
  o: { pings: number; timeoutMs: number },
): Promise<Map<string, number>> {
  const deadline = Date.now() + o.timeoutMs
  for (;;) {
    const stats = await network.coordinator.store.allStats()
    const uptime = new Map(
      network.nodes.map((n) => {
        const s = stats.get(n.address)
        return [n.address, s?.pings ? s.pingsOk / s.pings : 0] as const
      }),
    )
    const ready = network.nodes.every((n) => {
      const s = stats.get(n.address)
      return s !== undefined && s.pingsOk >= o.pings && s.pingsOk / s.pings >= 0.95
    })
    if (ready || Date.now() > deadline) return uptime
    await new Promise((r) => setTimeout(r, 100))
  }
}
