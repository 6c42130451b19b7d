import type { Tensor } from '../network/frame.js'
import type { CoordinatorStore, JobRecord, NodeRecord, NodeStats } from './types.js'

/** Tunables of a coordinator, with their defaults filled in. */
export type CoordinatorSettings = {
  /** How long a node holds a job before it is given to another (ms); 10 s. */
  leaseMs: number
  /** Nodes tried before a job is dead-lettered; 3. */
  maxAttempts: number
  /** Fraction of jobs also run on a second node (a third breaks a tie); 0.1. */
  verifyFraction: number
  /** Reputation (0–100) under which a node gets no work and no pay; 50. */
  excludeBelow: number
  /** Output tolerance by model hash (from the manifests); {@link DEFAULT_TOLERANCE} otherwise. */
  tolerances: ReadonlyMap<string, number>
  /** GPU seconds billed per input frame (the quote's usage); 0.05. */
  secondsPerFrame: number
  /** How often nodes are pinged (ms); 2 s. */
  pingEveryMs: number
  /** How often every node gets a known-answer audit (ms); 60 s; 0 turns the timer off. */
  auditEveryMs: number
  random: () => number
}

/** A job's output whose answer is known (two nodes agreed), kept for audits. */
export type KnownAnswer = { modelHash: string; inputs: Tensor[]; outputs: Tensor[] }

/** What the job processor, the audits and the HTTP server share in one process. */
export type CoordinatorContext = {
  store: CoordinatorStore
  settings: CoordinatorSettings
  /** Jobs in flight and assigned per node, in this process (the scheduler's load). */
  load: Map<string, { inFlight: number; assigned: number }>
  known: KnownAnswer[]
  /** Pings missed in a row per node, as this process saw them (3 or more: not given work). */
  missed: Map<string, number>
  counters: { lateRejected: number; receiptsRejected: number; deadLettered: number }
  /** Per job in flight here: ms spent waiting on nodes and checking receipt signatures. */
  spent: Map<string, { nodeMs: number; verifyMs: number }>
  /** The coordinator's own time per finished job (ms, excluding node time), last 100,000. */
  overhead: { totalMs: number[]; verifyMs: number[] }
  /** The scheduler's last read of the registry and stats (see `placementView`). */
  view?:
    | {
        at: number
        value: Promise<{ nodes: NodeRecord[]; stats: Map<string, NodeStats> }>
      }
    | undefined
  /** API key hashes this process has seen accepted, with their clinic (kept 30 s). */
  clinics: Map<string, { clinic: string; until: number }>
  /** Jobs this process just recorded, handed to the request waiting for them (no re-read). */
  finished: Map<string, { record: JobRecord; output?: Buffer }>
}
