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
  const coordinator = await createCoordinator({ verifyFraction: 1, pingEveryMs: 250 })
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

/** Step 4: the de-identified study analysed through the coordinator; each receipt checked here. */
export async function analyzeRemote(
  network: Network,
  files: string[],
): Promise<{ result: AnalysisResult; signers: string[] }> {
  const result = await analyze(files, {
    backend: 'remote',
    coordinator: { url: network.coordinator.url, apiKey: network.apiKey },
    batchSize: 1, // one job per image, so the work (and the pay) spreads over the nodes
  })
  const signers = (result.receipts ?? []).map((r) => verifyReceipt(r.signed).toLowerCase())
  return { result, signers }
}
