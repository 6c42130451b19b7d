import { Worker } from 'node:worker_threads'
import { parseWith, toBttError } from '@btt/core/errors'
import { z } from 'zod'
import { ConnectorsError } from '../../errors.js'
import { createDeidentifier, type DeidentifyOptions } from '../deidentify.js'
import type { PseudonymVault } from '../vault.js'
import type { InputFile } from './collectInputs.js'
import { type StagedFile, stagedAt } from './stageFile.js'
import { stageOne } from './stageOne.js'
import {
  defaultWorkers,
  type startDeidWorker,
  startWorkers,
  type WorkerMessage,
  type WorkerPool,
} from './workerPool.js'

/** What happened to one file: put in place at `target`, or failed with `error` (its `toJSON()`). */
export type DeidentifyFileOutcome =
  | { file: InputFile; target: string; pseudonym: string | undefined }
  | { file: InputFile; error: { code: string; message: string; details?: unknown } }

export type DeidentifyFilesParameters = {
  /** The output folder: each file goes to `<out>/<relative>`. */
  out: string
  /** Keys every pseudonym and records it; written once per batch of files. */
  vault: PseudonymVault
  retain?: DeidentifyOptions['retain']
  clean?: DeidentifyOptions['clean']
  /**
   * Worker threads besides the calling one: how many, or workers already started with
   * {@link startDeidWorker} (they load while the caller gets ready). Default, for 1,024 files or
   * more: one per further core, at most 7 (`defaultWorkers`); none for fewer. `0`: all on the
   * calling thread.
   */
  workers?: number | readonly Worker[] | undefined
  /** Called for each file as it is put in place or fails. */
  onFile?: ((outcome: DeidentifyFileOutcome) => void) | undefined
}
export type DeidentifyFilesReturnType = {
  done: number
  failed: number
  /** Of all the files, how many a worker thread took (0 without workers). */
  onWorkers: number
}

const inputFile = z.strictObject({ path: z.string().min(1), relative: z.string().min(1) })
const schema = z.strictObject({
  files: z.array(inputFile),
  out: z.string().min(1),
  vault: z.custom<PseudonymVault>(
    (v) => typeof v === 'object' && v !== null && 'record' in v && 'key' in v,
  ),
  retain: z.unknown().optional(), // checked by createDeidentifier
  clean: z.unknown().optional(),
  workers: z.union([z.number().int().min(0).max(64), z.array(z.instanceof(Worker))]).optional(),
  onFile: z.custom<(o: DeidentifyFileOutcome) => void>((v) => typeof v === 'function').optional(),
})

const withoutFiles = schema.omit({ files: true })

/** Files per vault transaction: their outputs are put in place once their pseudonyms are stored. */
const BATCH = 64

/**
 * The smallest batch that gets worker threads by default. A worker started here loads its own
 * copy of the code and compiles it afresh, which a batch wins back only after some hundreds of
 * files: on 2 cores (built package, a fresh process each; scripts/bench-deid-threads.ts), 521
 * files took 257 ms on the calling thread alone and 285 ms with one worker, 2,084 files 738
 * against 636 ms. (The CLI starts its workers earlier and cheaper: see `btt deid`.)
 */
const WORKERS_FROM = 1024

/**
 * De-identifies files (as {@link collectInputs} lists them) into `out`, on the calling thread
 * and, for a large batch, on worker threads that take files from a shared counter. Each output
 * is staged under a temporary name and put in place a batch at a time, once the batch's
 * pseudonyms are committed to the vault: an output never exists without its mapping. A file
 * that fails is reported and the batch goes on.
 *
 * @param files - the inputs, each with the path it gets under `out`.
 * @param parameters - `{ out, vault, retain?, clean?, workers?, onFile? }`.
 * @returns how many files were put in place, how many failed, how many workers took.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT`; `VAULT_UNAVAILABLE` (the vault cannot be
 *   written: the batch's outputs are removed).
 * @example
 * ```ts
 * import { collectInputs, deidentifyFiles, openVault } from '@btt/connectors/deid'
 * const { files } = collectInputs(['study/'], { out: 'shared/' })
 * const vault = openVault('shared.vault.sqlite')
 * await deidentifyFiles(files, { out: 'shared/', vault })
 * vault.close()
 * ```
 */
export async function deidentifyFiles(
  files: readonly InputFile[],
  parameters: DeidentifyFilesParameters,
): Promise<DeidentifyFilesReturnType> {
  // a batch lists hundreds of files: checked by a loop, with zod (and its message) only when one
  // is not plainly right (zod's parse of a few hundred entries stood out in a cold start's profile)
  const plain = Array.isArray(files) && everyPlainInputFile(files)
  const p = parseWith(
    plain ? withoutFiles : schema,
    plain ? parameters : { files, ...parameters },
    'deidentifyFiles parameters',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const { vault, out } = parameters
  const { flush: _flush, ...perFile } = vault // the batch flushes, not each file
  const options = { retain: parameters.retain, clean: parameters.clean }
  const deidentify = createDeidentifier({ ...options, vault: perFile })
  const batch = createBatch(vault, parameters.onFile)
  const next = new Int32Array(new SharedArrayBuffer(4))
  const workers = p.workers ?? (files.length >= WORKERS_FROM ? defaultWorkers() : 0)
  const pool = startWorkers(workers, {
    ...{ files, out, key: vault.key, ...options },
    next: next.buffer as SharedArrayBuffer,
  })
  const seen = new Uint8Array(files.length)
  const scratch = {} // one read buffer for this thread
  const own = (i: number) => {
    seen[i] = 1
    try {
      batch.stage(files[i]!, stageOne(files[i]!, deidentify, out, scratch))
    } catch (error) {
      batch.fail(files[i]!, toBttError(error).toJSON())
    }
  }
  const receive = (m: WorkerMessage) => receiveFrom(m, files, seen, vault, batch)
  try {
    for (let i = Atomics.add(next, 0, 1); i < files.length; i = Atomics.add(next, 0, 1)) {
      own(i)
      pool.drain(receive)
      if (batch.size() >= BATCH) batch.commit()
    }
    await pool.settle(receive)
    for (let i = 0; i < files.length; i++) if (!seen[i]) own(i) // its worker died
    batch.commit()
  } catch (error) {
    stopAndDiscard(pool, batch)
    throw error
  }
  return batch.counts
}

/** By index: a hole is undefined (which zod refuses), where `every` would skip it. */
function everyPlainInputFile(files: readonly unknown[]): boolean {
  for (let i = 0; i < files.length; i++) if (!isPlainInputFile(files[i])) return false
  return true
}

/** What `inputFile` accepts, in the common case: a plain object of two non-empty strings. */
function isPlainInputFile(f: unknown): boolean {
  if (typeof f !== 'object' || f === null || Object.getPrototypeOf(f) !== Object.prototype)
    return false
  const { path, relative } = f as Record<string, unknown>
  return (
    typeof path === 'string' &&
    path !== '' &&
    typeof relative === 'string' &&
    relative !== '' &&
    Object.keys(f).length === 2
  )
}

/** A worker's message: its file's pseudonyms go to the vault, the file joins the batch. */
function receiveFrom(
  m: WorkerMessage,
  files: readonly InputFile[],
  seen: Uint8Array,
  vault: PseudonymVault,
  batch: Batch,
) {
  if ('done' in m) return
  seen[m.i] = 1
  batch.counts.onWorkers++
  if ('error' in m) return batch.fail(files[m.i]!, m.error)
  for (const [kind, pseudonym, original] of m.records) vault.record(kind, pseudonym, original)
  batch.stage(files[m.i]!, { staged: stagedAt(m.temp, m.target), pseudonym: m.pseudonym })
}

function stopAndDiscard(pool: WorkerPool, batch: Batch) {
  batch.discard()
  pool.stop((m) => {
    if ('temp' in m) stagedAt(m.temp, m.target).discard()
  })
}

type Batch = ReturnType<typeof createBatch>

/** Staged files waiting for their pseudonyms to be committed, and the counts so far. */
function createBatch(vault: PseudonymVault, onFile: DeidentifyFilesParameters['onFile']) {
  const staged: { file: InputFile; staged: StagedFile; pseudonym: string | undefined }[] = []
  const counts = { done: 0, failed: 0, onWorkers: 0 }
  const fail = (file: InputFile, error: { code: string; message: string }) => {
    counts.failed++
    onFile?.({ file, error })
  }
  return {
    counts,
    size: () => staged.length,
    fail,
    stage(file: InputFile, s: { staged: StagedFile; pseudonym: string | undefined }) {
      staged.push({ file, ...s })
    },
    discard() {
      for (const s of staged.splice(0)) s.staged.discard()
    },
    /** Writes the batch's pseudonyms in one transaction, then puts its files in place. */
    commit() {
      try {
        vault.flush?.()
      } catch (error) {
        for (const s of staged.splice(0)) s.staged.discard()
        throw error
      }
      for (const { file, staged: s, pseudonym } of staged.splice(0))
        try {
          s.commit()
          counts.done++
          onFile?.({ file, target: s.target, pseudonym })
        } catch (error) {
          fail(file, toBttError(error).toJSON())
        }
    },
  }
}
