/// <reference path="../types/dcmjs-dimse.d.ts" />
import { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import { makeFolder } from '@btt/compute/files'
import { parseWithCode } from '@btt/core'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'
import { type DimseLogLevel, dimseLogLevelSchema, holdDimseLogLevel } from './dimseLogLevel.js'
import { storeScpClass } from './storeScpClass.js'
import { type CompletedStudy, createStudyCompletion } from './studyCompletion.js'

export type { CompletedStudy } from './studyCompletion.js'

const { Server } = createRequire(import.meta.url)('dcmjs-dimse')

export type StoreScpOptions = {
  /** Port to listen on (0 for any free port). */
  port: number
  /** AE title of this SCP. */
  aet: string
  /** Where received instances are written, one folder per study. */
  spoolDir: string
  /** Accept only these calling AE titles (default: any). */
  allowedCallers?: readonly string[]
  /**
   * A study completes once no association is sending it and none has brought an instance of it
   * for this many seconds (default 10), whichever and however many associations carried it.
   */
  quietSeconds?: number
  /**
   * A study that is still short of its announced instance count, or whose sender aborted, is
   * completed anyway this many seconds after its last association ended (default 300).
   */
  incompleteAfterSeconds?: number
  /**
   * ARTIM (PS3.8 9.1.5): seconds a connection may wait for its A-ASSOCIATE-RQ, or to close after
   * a release, before it is dropped (default 30).
   */
  artimSeconds?: number
  /** Seconds an open association may send nothing before it is aborted (default 30). */
  idleSeconds?: number
  /**
   * What dcmjs-dimse logs while the SCP listens (default `warn`: warnings and errors; `info` logs
   * every PDU). Its logger is one per process: see `holdDimseLogLevel`.
   */
  logLevel?: DimseLogLevel
}

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65_535),
  aet: z.string().trim().min(1).max(16),
  spoolDir: z.string().min(1),
  allowedCallers: z.array(z.string()).optional(),
  quietSeconds: z.number().min(0).max(86_400).default(10),
  incompleteAfterSeconds: z
    .number()
    .min(0)
    .max(7 * 86_400)
    .default(300),
  artimSeconds: z.number().positive().max(3_600).default(30),
  idleSeconds: z.number().positive().max(86_400).default(30),
  logLevel: dimseLogLevelSchema.default('warn'),
})

/**
 * A DICOM C-STORE SCP (and C-ECHO): modalities and PACS push studies to it. Each instance is
 * written to `spoolDir/<StudyInstanceUID>/<SOPInstanceUID>.dcm` as it arrives, in the transfer
 * syntax it was sent in; one without a valid Study or SOP Instance UID gets a failure status
 * (A900) and the association goes on. A study is complete once, however many associations carry
 * it at once: when none is sending it any more and either every instance announced by Number of
 * Study Related Instances is there, or none came for `quietSeconds` (`incompleteAfterSeconds`
 * when it is short of its count or a sender aborted). `studyComplete` then fires with every file
 * of the study on disk. Instances that arrive later complete it again with `update: true` (the
 * PACS flow updates its result and does not charge again). ARTIM and idle timers drop peers that
 * connect and say nothing or go silent; a connection that sends garbage is dropped; the server
 * stays up. Every Storage SOP Class of PS3.4 Table B.5-1 is accepted (`STORAGE_SOP_CLASSES`),
 * in the transfer syntaxes of `ACCEPTED_TRANSFER_SYNTAXES`; any other abstract syntax is refused
 * in negotiation. dcmjs-dimse logs at `logLevel` (default `warn`).
 *
 * @param options - port, AE title, spool folder, the timers and the log level.
 * @returns `listen()` (rejects with `SCP_LISTEN_FAILED` when the port cannot be had), `close()`
 * and the event hooks.
 * @example
 * ```ts
 * import { createStoreScp } from '@btt/connectors'
 * const scp = createStoreScp({ port: 11112, aet: 'BTT', spoolDir: 'spool' })
 * scp.onStudyComplete((s) => console.log(s.studyInstanceUid, s.files.length))
 * await scp.listen()
 * ```
 */
export function createStoreScp(options: StoreScpOptions) {
  const o = parseWithCode(
    optionsSchema,
    options,
    'C-STORE SCP options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const events = new EventEmitter()
  const completion = createStudyCompletion({
    spoolDir: o.spoolDir,
    quietMs: o.quietSeconds * 1000,
    incompleteMs: o.incompleteAfterSeconds * 1000,
    onComplete: (study) => events.emit('studyComplete', study),
  })
  const server = new Server(storeScpClass({ ...o, completion, events }))
  server.on('networkError', (e: Error) => events.emit('networkError', e))
  let release = () => {}
  return {
    /** Starts listening; resolves with the port, rejects with `SCP_LISTEN_FAILED`. */
    listen: () => {
      release()
      release = holdDimseLogLevel(o.logLevel)
      return listen(server, o.port, o.spoolDir).catch((error) => {
        release()
        throw error
      })
    },
    close: () => {
      release()
      completion.close()
      server.close()
    },
    onStudyComplete: (fn: (s: CompletedStudy) => void) => events.on('studyComplete', fn),
    onInstance: (fn: (i: { studyInstanceUid: string; file: string }) => void) =>
      events.on('instance', fn),
    /** Instances refused (no valid UIDs) and other per-request failures. */
    onError: (fn: (e: Error) => void) => events.on('error', fn),
  }
}

function listen(server: any, port: number, spoolDir: string): Promise<number> {
  try {
    makeFolder(
      spoolDir,
      (reason, cause) =>
        new ConnectorsError('SCP_LISTEN_FAILED', `Cannot create the spool folder: ${reason}`, {
          cause,
          details: { port, spoolDir },
        }),
    )
  } catch (error) {
    return Promise.reject(error)
  }
  return new Promise((resolve, reject) => {
    server.once('listening', () => resolve(server.server.address().port))
    server.listen(port)
    server.server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ConnectorsError(
          'SCP_LISTEN_FAILED',
          `Cannot listen for C-STORE on port ${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message} (${error.code ?? 'error'}).`,
          { cause: error, details: { port, errorCode: error.code ?? null } },
        ),
      ),
    )
  })
}
