import type { SignedReceipt } from '../network/receipt.js'
import type { Capabilities } from '../network/schemas.js'

/** A registered node, as the coordinator knows it. */
export type NodeRecord = {
  address: string
  url: string
  capabilities: Capabilities
  registeredAt: number
}

/** The coordinator's own measurements and judgement of a node (counters only ever grow). */
export type NodeStats = {
  pings: number
  pingsOk: number
  /** Sum of the round-trip times of the answered pings, ms. */
  latencyMsSum: number
  jobsOk: number
  jobsFailed: number
  agreements: number
  disagreements: number
  auditsPassed: number
  auditsFailed: number
  /** 0–100; starts at 100. */
  reputation: number
}

export const freshStats = (): NodeStats => ({
  pings: 0,
  pingsOk: 0,
  latencyMsSum: 0,
  jobsOk: 0,
  jobsFailed: 0,
  agreements: 0,
  disagreements: 0,
  auditsPassed: 0,
  auditsFailed: 0,
  reputation: 100,
})

/** A finished job: its accepted receipt (paid once) or why it failed. */
export type JobRecord = {
  jobId: string
  clinic: string
  requestId: string
  modelHash: string
  status: 'done' | 'failed'
  /** Billed to the clinic, minor units of `currency` (0 for a failed job). */
  billed: string
  currency: string
  /** The quote's usage, so anyone can re-price it with quoteCompute. */
  usage: { gpuSeconds: number; dataBytes: string; urgency: string }
  signed?: SignedReceipt
  /** The coordinator's measured time of the accepted answer's exchange, µs (energy factor). */
  measuredMicros?: number
  verifiedBy: string[]
  /** Nodes whose output disagreed with the accepted one: not paid for this job. */
  disputedBy: string[]
  reason?: string
  finishedAt: number
}

/** A job waiting to run: everything the processor needs (the input frame travels as bytes). */
export type QueuedJob = {
  jobId: string
  clinic: string
  requestId: string
  modelHash: string
  region?: string
  urgency: string
  frames: number
  billed: string
  currency: string
  usage: JobRecord['usage']
  /** The input tensors as a frame (base64 in a Redis queue). */
  input: Buffer
}

/** The coordinator's durable state: SQLite (embedded) or Redis (shared by several processes). */
export interface CoordinatorStore {
  addKey(keyHash: string, clinic: string): Promise<void>
  clinicOf(keyHash: string): Promise<string | undefined>
  putChallenge(challenge: string, expiresAt: number): Promise<void>
  /** Uses a challenge up: true once, if it exists and has not expired. */
  takeChallenge(challenge: string, now: number): Promise<boolean>
  putNode(node: NodeRecord): Promise<void>
  nodes(): Promise<NodeRecord[]>
  stats(address: string): Promise<NodeStats>
  allStats(): Promise<Map<string, NodeStats>>
  /** Adds to a node's counters; reputation is clamped to 0–100. */
  bump(address: string, delta: Partial<NodeStats>): Promise<void>
  openLease(nonce: string, jobId: string, expiresAt: number): Promise<void>
  /** Closes a live lease that has not expired: true once; false when expired, unknown or used. */
  closeLease(nonce: string, jobId: string, now: number): Promise<boolean>
  /** Records a finished job unless one with its id exists: true when this call recorded it. */
  finishJob(record: JobRecord, output?: Buffer): Promise<boolean>
  job(jobId: string): Promise<{ record: JobRecord; output?: Buffer } | undefined>
  jobs(): Promise<JobRecord[]>
  close(): Promise<void>
}
