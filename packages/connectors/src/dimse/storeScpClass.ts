/// <reference path="../types/dcmjs-dimse.d.ts" />
import type { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import { ConnectorsError } from '../errors.js'
import { negotiatePresentationContext } from './negotiatePresentationContext.js'
import { spoolInstance } from './spoolInstance.js'
import type { createStudyCompletion } from './studyCompletion.js'
import { watchIdle } from './watchIdle.js'

const dimse = createRequire(import.meta.url)('dcmjs-dimse')
const { Scp } = dimse
const { CEchoResponse, CStoreResponse } = dimse.responses
const { PresentationContextResult, RejectReason, RejectResult, RejectSource } = dimse.constants
const { Status } = dimse.constants

/** What each association of the SCP shares. */
export type StoreScpContext = {
  spoolDir: string
  allowedCallers?: readonly string[] | undefined
  artimSeconds: number
  idleSeconds: number
  completion: ReturnType<typeof createStudyCompletion>
  events: EventEmitter
}

/**
 * Answers each proposed presentation context (`negotiatePresentationContext`): Verification and
 * the Storage SOP Classes of PS3.4 Table B.5-1 in a syntax we keep; the rest refused, each with
 * its reason, in an A-ASSOCIATE-AC that accepts what it can.
 */
function negotiate(association: any) {
  for (const c of association.getPresentationContexts()) {
    const context = association.getPresentationContext(c.id)
    const answer = negotiatePresentationContext(
      String(context.getAbstractSyntaxUid() ?? ''),
      context.getTransferSyntaxUids() ?? [],
    )
    if (answer.result === 'accept')
      context.setResult(PresentationContextResult.Accept, answer.transferSyntax)
    else if (answer.result === 'abstract-syntax-not-supported')
      context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported)
    else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported)
  }
}

/**
 * One C-STORE request: the instance is spooled and the study's completion told (`carrying` first,
 * for the association's bookkeeping), and the response says Success — or A900 for an instance
 * without valid UIDs, 0110 for one that could not be written; the association goes on either way.
 */
function store(request: any, context: StoreScpContext, carrying: (study: string) => void) {
  const response = CStoreResponse.fromRequest(request)
  try {
    const sop = request.getAffectedSopInstanceUid?.()
    const spooled = spoolInstance(request.getDataset(), sop, context.spoolDir)
    carrying(spooled.studyInstanceUid)
    context.completion.instance(spooled.studyInstanceUid, spooled.expected)
    context.events.emit('instance', {
      studyInstanceUid: spooled.studyInstanceUid,
      file: spooled.file,
    })
    response.setStatus(Status.Success)
  } catch (error) {
    const refused = error instanceof ConnectorsError && error.code === 'SCP_INVALID_INSTANCE'
    // A900: the dataset does not match the SOP class (a Type 1 UID is missing)
    response.setStatus(refused ? Status.DataSetSopClassMismatch : Status.ProcessingFailure)
    response.setErrorComment(String((error as Error).message).slice(0, 64))
    // an 'error' event with no listener would throw here and abort the association
    if (context.events.listenerCount('error')) context.events.emit('error', error)
  }
  return response
}

/**
 * The dcmjs-dimse `Scp` class of the C-STORE SCP: one instance per connection. It spools each
 * instance, tells the study completion which studies it carries and when it ends, and runs the
 * ARTIM and idle timers.
 *
 * @param context - what the associations share.
 * @returns the class to give dcmjs-dimse's `Server`.
 * @example
 * ```ts
 * const server = new Server(storeScpClass({ spoolDir, artimSeconds: 30, idleSeconds: 30, completion, events }))
 * ```
 */
export function storeScpClass(context: StoreScpContext): new (...args: any[]) => object {
  return class StoreScp extends Scp {
    private readonly studies = new Set<string>()
    private calling = ''
    private ended = false
    private readonly idle: ReturnType<typeof watchIdle>
    declare socket: { end(): void; destroy(): void; on(e: string, fn: () => void): void }

    constructor(...args: unknown[]) {
      super(...args)
      // a connection that drops without release or abort leaves its studies incomplete too
      this.on('close', () => this.finish(false))
      this.idle = watchIdle(
        this.socket,
        { artimMs: context.artimSeconds * 1000, idleMs: context.idleSeconds * 1000 },
        (associated) => {
          if (associated) this.sendAbort()
          // our timeout, not the sender's failure: what it sent completes after the quiet period
          this.finish(true)
        },
      )
    }

    associationRequested(association: any) {
      this.calling = association.getCallingAeTitle()
      if (context.allowedCallers && !context.allowedCallers.includes(this.calling)) {
        this.sendAssociationReject(
          RejectResult.Permanent,
          RejectSource.ServiceUser,
          RejectReason.CallingAeNotRecognized,
        )
        return
      }
      negotiate(association)
      this.sendAssociationAccept()
      this.idle.associated()
    }

    cEchoRequest(request: any, callback: (r: unknown) => void) {
      const response = CEchoResponse.fromRequest(request)
      response.setStatus(Status.Success)
      callback(response)
    }

    cStoreRequest(request: any, callback: (r: unknown) => void) {
      callback(
        store(request, context, (study) => {
          if (this.studies.has(study)) return
          this.studies.add(study)
          context.completion.opened(study, this.calling)
        }),
      )
    }

    associationReleaseRequested() {
      this.sendAssociationReleaseResponse()
      this.finish(true)
      this.idle.released()
    }

    /** dcmjs-dimse calls this on an A-ABORT from the peer; the peer then waits for us to close. */
    abort() {
      this.finish(false)
      this.socket?.end()
    }

    /** The association ended: each study it carried is told, once. */
    private finish(released: boolean) {
      if (this.ended) return
      this.ended = true
      for (const study of this.studies) context.completion.ended(study, released)
      this.studies.clear()
    }
  }
}
