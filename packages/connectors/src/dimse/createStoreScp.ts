/// <reference path="../types/dcmjs-dimse.d.ts" />
import { EventEmitter } from 'node:events'
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { ConnectorsError } from '../errors.js'

const dimse = createRequire(import.meta.url)('dcmjs-dimse')
const { Scp, Server } = dimse
const { CEchoResponse, CStoreResponse } = dimse.responses
const { PresentationContextResult, Status, SopClass, StorageClass, TransferSyntax } =
  dimse.constants

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
   * A study that is still short of its announced instance count, or whose sender aborted, is
   * completed anyway this many seconds after its last association ended (default 300).
   */
  incompleteAfterSeconds?: number
}

export type CompletedStudy = {
  studyInstanceUid: string
  files: string[]
  callingAet: string
  /**
   * Why it is complete: `released` (the last association carrying it was released), `count`
   * (released, and the instances announced by Number of Study Related Instances have all
   * arrived), or `timeout` (short of its count, or aborted, and `incompleteAfterSeconds` passed).
   */
  reason: 'released' | 'count' | 'timeout'
  /** Number of Study Related Instances (0020,1208) when an instance carried it. */
  expectedInstances?: number
}

const STORAGE = new Set(Object.values(StorageClass as Record<string, string>))
const ACCEPTED_SYNTAXES = [
  TransferSyntax.ExplicitVRLittleEndian,
  TransferSyntax.ImplicitVRLittleEndian,
  TransferSyntax.ExplicitVRBigEndian,
  TransferSyntax.RleLossless,
  TransferSyntax.JpegBaselineProcess1,
  TransferSyntax.JpegLosslessProcess14V1,
  TransferSyntax.JpegLsLossless,
  TransferSyntax.Jpeg2000Lossless,
  TransferSyntax.Jpeg2000Lossy,
].filter(Boolean) as string[]

/**
 * A DICOM C-STORE SCP (and C-ECHO): modalities and PACS push studies to it. Each instance is
 * written to `spoolDir/<StudyInstanceUID>/<SOPInstanceUID>.dcm` as it arrives, in the transfer
 * syntax it was sent in. A study is complete when the association that carried it is released and
 * no other open association is still sending it, and — when its instances carry Number of Study
 * Related Instances — all of them have arrived; never on a timer alone. `studyComplete` then fires
 * with every file of the study on disk. A study short of its count, or whose sender aborted,
 * waits for more and completes after `incompleteAfterSeconds` (reason `timeout`). Late instances (arriving after completion) are
 * spooled the same way and fire `studyComplete` again with all files, so the consumer sees the
 * whole study again (the PACS flow keys jobs on the instance set, so it re-analyses once).
 * A connection that sends garbage is dropped; the server stays up.
 */
export function createStoreScp(options: StoreScpOptions) {
  const events = new EventEmitter()
  const openByStudy = new Map<string, number>() // open associations per study
  const expectedByStudy = new Map<string, number>() // Number of Study Related Instances
  const waiting = new Map<string, NodeJS.Timeout>() // incomplete studies: the fallback timer
  const incompleteAfterMs = (options.incompleteAfterSeconds ?? 300) * 1000
  // the spool folder is the record of what arrived: nothing per study is kept in memory once it
  // is complete, and a late instance completes the study again with every file on disk
  const spooled = (study: string) => {
    const dir = join(options.spoolDir, study)
    const names = existsSync(dir) ? readdirSync(dir) : [] // a consumer may have cleared it
    return names
      .filter((f) => f.endsWith('.dcm'))
      .sort()
      .map((f) => join(dir, f))
  }
  const complete = (study: string, callingAet: string, reason: CompletedStudy['reason']) => {
    clearTimeout(waiting.get(study))
    waiting.delete(study)
    const expected = expectedByStudy.get(study)
    expectedByStudy.delete(study)
    events.emit('studyComplete', {
      studyInstanceUid: study,
      files: spooled(study),
      callingAet,
      reason,
      ...(expected ? { expectedInstances: expected } : {}),
    } satisfies CompletedStudy)
  }

  class StoreScp extends Scp {
    private readonly studies = new Set<string>()
    private calling = ''
    declare socket?: { end(): void }

    constructor(...args: unknown[]) {
      super(...args)
      // a connection that drops without release or abort leaves its studies incomplete too
      this.on('close', () => this.finish(false))
    }

    associationRequested(association: any) {
      this.calling = association.getCallingAeTitle()
      if (options.allowedCallers && !options.allowedCallers.includes(this.calling)) {
        this.sendAssociationReject(
          dimse.constants.RejectResult.Permanent,
          dimse.constants.RejectSource.ServiceUser,
          dimse.constants.RejectReason.CallingAeNotRecognized,
        )
        return
      }
      for (const c of association.getPresentationContexts()) {
        const context = association.getPresentationContext(c.id)
        const abstract = context.getAbstractSyntaxUid()
        if (abstract !== SopClass.Verification && !STORAGE.has(abstract)) {
          context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported)
          continue
        }
        const offered: string[] = context.getTransferSyntaxUids()
        const chosen = ACCEPTED_SYNTAXES.find((ts) => offered.includes(ts))
        if (chosen) context.setResult(PresentationContextResult.Accept, chosen)
        else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported)
      }
      this.sendAssociationAccept()
    }

    cEchoRequest(request: any, callback: (r: unknown) => void) {
      const response = CEchoResponse.fromRequest(request)
      response.setStatus(Status.Success)
      callback(response)
    }

    cStoreRequest(request: any, callback: (r: unknown) => void) {
      const response = CStoreResponse.fromRequest(request)
      try {
        const dataset = request.getDataset()
        const elements = dataset.getElements()
        const study = String(elements.StudyInstanceUID ?? '')
        const sop = String(elements.SOPInstanceUID ?? request.getAffectedSopInstanceUid?.() ?? '')
        if (!/^[0-9.]+$/.test(study) || !/^[0-9.]+$/.test(sop))
          throw new ConnectorsError(
            'SCP_INVALID_INSTANCE',
            'missing or invalid Study/SOP Instance UID',
            { details: { studyInstanceUid: study, sopInstanceUid: sop } },
          )
        const dir = join(options.spoolDir, study)
        mkdirSync(dir, { recursive: true })
        const file = join(dir, `${sop}.dcm`)
        dataset.toFile(file)
        if (!this.studies.has(study)) {
          this.studies.add(study)
          openByStudy.set(study, (openByStudy.get(study) ?? 0) + 1)
        }
        const expected = Number(elements.NumberOfStudyRelatedInstances)
        if (Number.isInteger(expected) && expected > 0)
          expectedByStudy.set(study, Math.max(expected, expectedByStudy.get(study) ?? 0))
        events.emit('instance', { studyInstanceUid: study, file })
        response.setStatus(Status.Success)
      } catch (error) {
        events.emit('error', error)
        response.setStatus(Status.ProcessingFailure)
      }
      callback(response)
    }

    associationReleaseRequested() {
      this.sendAssociationReleaseResponse()
      this.finish(true)
    }

    /** dcmjs-dimse calls this on an A-ABORT from the peer; the peer then waits for us to close. */
    abort() {
      this.finish(false)
      this.socket?.end()
    }

    /**
     * The association ended. A study no other open association is sending completes now if it was
     * released and has every announced instance; otherwise (aborted, or short of its count) it
     * waits for more instances, up to `incompleteAfterSeconds`.
     */
    private finish(released: boolean) {
      for (const study of this.studies) {
        const open = (openByStudy.get(study) ?? 1) - 1
        if (open > 0) {
          openByStudy.set(study, open)
          continue
        }
        openByStudy.delete(study)
        const expected = expectedByStudy.get(study)
        const have = spooled(study).length
        if (released && (!expected || have >= expected))
          complete(study, this.calling, expected ? 'count' : 'released')
        else {
          clearTimeout(waiting.get(study))
          const calling = this.calling
          waiting.set(
            study,
            setTimeout(() => complete(study, calling, 'timeout'), incompleteAfterMs).unref(),
          )
        }
      }
      this.studies.clear()
    }
  }

  const server = new Server(StoreScp)
  server.on('networkError', (e: Error) => events.emit('networkError', e))
  return {
    /** Starts listening; resolves with the port. */
    listen(): Promise<number> {
      mkdirSync(options.spoolDir, { recursive: true })
      server.listen(options.port)
      return new Promise((resolve) => {
        const check = () => {
          const address = server.server?.address?.()
          if (address && typeof address === 'object') resolve(address.port)
          else setTimeout(check, 10)
        }
        check()
      })
    },
    close: () => {
      for (const t of waiting.values()) clearTimeout(t)
      waiting.clear()
      server.close()
    },
    onStudyComplete: (fn: (s: CompletedStudy) => void) => events.on('studyComplete', fn),
    onInstance: (fn: (i: { studyInstanceUid: string; file: string }) => void) =>
      events.on('instance', fn),
    onError: (fn: (e: Error) => void) => events.on('error', fn),
  }
}
