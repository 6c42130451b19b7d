import { MessageChannel } from 'node:worker_threads'
import type { LoadedModel } from '../model/loadModel.js'
import type { Outputs } from './types.js'

/** Sessions whose outputs analyze may free: those `loadModel` made (not a remote one, not a caller's). */
const own = new WeakSet<object>()

/** Marks a session as this package's own: {@link releaseOutputs} frees what its runs return. */
export function ownSession<S extends LoadedModel['session']>(session: S): S {
  own.add(session)
  return session
}

// A closed port: an ArrayBuffer transferred to it is detached and its memory freed at once
// (Node 20 has no ArrayBuffer.prototype.transfer)
const sink = new MessageChannel().port1
sink.close()

/**
 * Frees the memory of a batch's output tensors once their findings are read (nothing in the
 * results refers to it), instead of leaving it to V8's collector: onnxruntime allocates the
 * outputs outside V8's heap (4 MiB for a batch of 8 of the demo model), and V8 starts a full
 * collection whenever such external memory has grown by some tens of MiB, a few milliseconds on
 * the threads that inference also needs. Only for the outputs of a session this package made: a
 * caller's own session may hand back buffers it reuses.
 */
export function releaseOutputs(session: LoadedModel['session'], outputs: Outputs): void {
  if (!own.has(session)) return
  const buffers = new Set<ArrayBuffer>()
  for (const name in outputs) {
    const data = outputs[name]?.data as ArrayBufferView | undefined
    if (data?.buffer instanceof ArrayBuffer && data.buffer.byteLength > 0) buffers.add(data.buffer)
  }
  for (const buffer of buffers)
    try {
      sink.postMessage(null, [buffer])
    } catch {
      // not transferable (a view of memory the session keeps): left to the collector
    }
}
