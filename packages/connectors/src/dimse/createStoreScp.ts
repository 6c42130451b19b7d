/// <reference path="../types/dcmjs-dimse.d.ts" />
import { EventEmitter } from 'node:events'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

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
}

export type CompletedStudy = { studyInstanceUid: string; files: string[]; callingAet: string }

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
 * no other open association is still sending it — never on a timer alone; `studyComplete` then
 * fires with every file of the study on disk. Late instances (arriving after completion) are
 * spooled the same way and fire `studyComplete` again with all files, so the consumer sees the
 * whole study again (the PACS flow keys jobs on the instance set, so it re-analyses once).
 * A connection that sends garbage is dropped; the server stays up.
 */
export function createStoreScp(options: StoreScpOptions) {
  const events = new EventEmitter()
  const openByStudy = new Map<string, number>() // open associations per study
  const filesByStudy = new Map<string, Set<string>>()

  class StoreScp extends Scp {
    private readonly studies = new Set<string>()
    private calling = ''

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
          throw new Error('missing or invalid Study/SOP Instance UID')
        const dir = join(options.spoolDir, study)
        mkdirSync(dir, { recursive: true })
        const file = join(dir, `${sop}.dcm`)
        dataset.toFile(file)
        if (!this.studies.has(study)) {
          this.studies.add(study)
          openByStudy.set(study, (openByStudy.get(study) ?? 0) + 1)
        }
        const files = filesByStudy.get(study) ?? new Set<string>()
        files.add(file)
        filesByStudy.set(study, files)
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
      this.finish()
    }

    associationAbortRequested() {
      this.finish()
    }

    private finish() {
      for (const study of this.studies) {
        const open = (openByStudy.get(study) ?? 1) - 1
        openByStudy.set(study, open)
        if (open === 0)
          events.emit('studyComplete', {
            studyInstanceUid: study,
            files: [...(filesByStudy.get(study) ?? [])].sort(),
            callingAet: this.calling,
          } satisfies CompletedStudy)
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
    close: () => server.close(),
    onStudyComplete: (fn: (s: CompletedStudy) => void) => events.on('studyComplete', fn),
    onInstance: (fn: (i: { studyInstanceUid: string; file: string }) => void) =>
      events.on('instance', fn),
    onError: (fn: (e: Error) => void) => events.on('error', fn),
  }
}
