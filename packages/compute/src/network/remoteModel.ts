import type { ModelManifest } from '../manifest/schema.js'
import { type LoadedModel, readManifest } from '../model/loadModel.js'
import type { Tensor } from './frame.js'
import type { SignedReceipt } from './receipt.js'
import { submitJob } from './submitJob.js'

export type CoordinatorAccess = {
  url: string
  apiKey: string
  /** Preferred node region. */
  region?: string
  /** Whole-exchange timeout per batch, ms; 120 s. */
  timeoutMs?: number
}

/** A verified receipt of one remote batch, with what the clinic was billed. */
export type RemoteReceipt = {
  jobId: string
  billed: string
  currency: string
  signed: SignedReceipt
  verifiedBy: string[]
}

/**
 * A model whose `session.run` sends the preprocessed input tensor (binary frame, and the model's
 * hash; no DICOM, no identifiers) to a coordinator and checks the signed receipt of the answer
 * against what was sent and received. Pre- and post-processing stay local (`analyze`). A batch is
 * retried with the same request id after a network failure, so it is billed once.
 *
 * @param manifestPath - the model's manifest (a path, or the manifest itself): the node needs only
 * its hash; preprocessing and findings use the rest here.
 * @returns the model and the receipts it collects, one per batch.
 */
export function remoteModel(
  manifestPath: string | ModelManifest,
  access: CoordinatorAccess,
): { model: LoadedModel; receipts: RemoteReceipt[] } {
  const manifest = typeof manifestPath === 'string' ? readManifest(manifestPath) : manifestPath
  const modelHash = `0x${manifest.sha256}`
  const receipts: RemoteReceipt[] = []
  const base = access.url.replace(/\/+$/, '')
  const run = async (feeds: Record<string, { data: unknown; dims: readonly number[] }>) => {
    const feed = feeds[manifest.input.name]!
    const input: Tensor = {
      name: manifest.input.name,
      dims: [...feed.dims],
      data: feed.data as Float32Array,
    }
    const { header, outputs } = await submitJob(access, { modelHash, input })
    receipts.push(header)
    return Object.fromEntries(outputs.map((t) => [t.name, { data: t.data, dims: t.dims }]))
  }
  const session = { run, release: async () => {} } as unknown as LoadedModel['session']
  const batch = manifest.input.shape[0]
  const model: LoadedModel = {
    manifest,
    sha256: manifest.sha256,
    backend: { backend: 'cpu', executionProviders: [], reason: `remote: coordinator ${base}` },
    session,
    maxBatch: batch === -1 ? Number.POSITIVE_INFINITY : batch,
  }
  return { model, receipts }
}
