import { createHash } from 'node:crypto'
import { z } from 'zod'
import { ComputeError } from '../errors.js'

/** A float32 tensor: its name, dimensions and values (row-major). */
export type Tensor = { name: string; dims: number[]; data: Float32Array }

/** A decoded frame: a JSON header and the tensors that follow it. */
export type Frame<H> = { header: H; tensors: Tensor[] }

/** `application/vnd.btt.tensors`: the content type of every binary frame. */
export const FRAME_CONTENT_TYPE = 'application/vnd.btt.tensors'
const MAGIC = 0x31545442 // "BTT1", little endian
/** Largest frame either side accepts by default (64 MiB). */
export const MAX_FRAME_BYTES = 64 << 20
const MAX_HEADER_BYTES = 64 << 10

const tensorMetaSchema = z.strictObject({
  name: z.string().min(1).max(128),
  dims: z
    .array(
      z
        .number()
        .int()
        .min(1)
        .max(1 << 24),
    )
    .min(1)
    .max(8),
})
const envelopeSchema = z.strictObject({
  header: z.record(z.string(), z.unknown()),
  tensors: z.array(tensorMetaSchema).max(64),
})

/** A frame header with no required fields (its tensors are what is wanted). */
export const anyHeaderSchema = z.object({})

const bad = (reason: string, details: Record<string, unknown> = {}) =>
  new ComputeError('COMPUTE_BAD_REQUEST', `Malformed tensor frame: ${reason}.`, {
    details: { reason, ...details },
  })

const count = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1)

/**
 * Encodes a header and float32 tensors as one binary frame: `BTT1`, the JSON envelope's length
 * (u32 LE), the envelope (`{ header, tensors: [{ name, dims }] }`), then each tensor's values as
 * float32 LE, in order. Numbers never travel as JSON arrays.
 *
 * @param header - JSON-serialisable facts (ids, hashes, receipt).
 * @param tensors - the tensors.
 * @returns the frame's bytes.
 */
export function encodeFrame(header: Record<string, unknown>, tensors: readonly Tensor[]): Buffer {
  for (const t of tensors)
    if (t.data.length !== count(t.dims))
      throw bad(`tensor ${t.name} has ${t.data.length} values for dims ${t.dims.join('×')}`)
  const envelope = Buffer.from(
    JSON.stringify({ header, tensors: tensors.map((t) => ({ name: t.name, dims: t.dims })) }),
  )
  const size = 8 + envelope.length + tensors.reduce((a, t) => a + t.data.byteLength, 0)
  const out = Buffer.allocUnsafe(size)
  out.writeUInt32LE(MAGIC, 0)
  out.writeUInt32LE(envelope.length, 4)
  envelope.copy(out, 8)
  let at = 8 + envelope.length
  for (const t of tensors) {
    const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)
    bytes.copy(out, at)
    at += bytes.length
  }
  return out
}

/**
 * Decodes a frame written by {@link encodeFrame}, checking every length; the header is checked
 * with `headerSchema`. Values are copied into aligned arrays.
 *
 * @throws {ComputeError} `COMPUTE_BAD_REQUEST` with the reason.
 */
export function decodeFrame<S extends z.ZodType>(
  bytes: Uint8Array,
  headerSchema: S,
): Frame<z.output<S>> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length < 8 || buf.readUInt32LE(0) !== MAGIC) throw bad('no BTT1 magic')
  const length = buf.readUInt32LE(4)
  if (length > MAX_HEADER_BYTES || 8 + length > buf.length) throw bad('envelope length', { length })
  let envelope: z.output<typeof envelopeSchema>
  try {
    envelope = envelopeSchema.parse(JSON.parse(buf.subarray(8, 8 + length).toString('utf8')))
  } catch (error) {
    throw bad('the envelope is not valid JSON of the expected shape', {
      message: (error as Error).message.slice(0, 300),
    })
  }
  const parsed = headerSchema.safeParse(envelope.header)
  if (!parsed.success)
    throw bad('the header does not match its schema', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    })
  let at = 8 + length
  const tensors: Tensor[] = []
  for (const meta of envelope.tensors) {
    const n = count(meta.dims)
    if (at + n * 4 > buf.length) throw bad(`tensor ${meta.name} runs past the end`)
    const data = new Float32Array(n)
    Buffer.from(data.buffer).set(buf.subarray(at, at + n * 4))
    tensors.push({ name: meta.name, dims: meta.dims, data })
    at += n * 4
  }
  if (at !== buf.length) throw bad('bytes after the last tensor', { extra: buf.length - at })
  return { header: parsed.data, tensors }
}

/**
 * The sha-256 (0x-prefixed, for EIP-712 bytes32) of tensors: each name, dims and float32 bytes,
 * in order. A receipt's input and output hashes are this.
 */
export function tensorsHash(tensors: readonly Tensor[]): string {
  const h = createHash('sha256')
  for (const t of tensors) {
    h.update(`${t.name}\u0000${t.dims.join(',')}\u0000`)
    h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength))
  }
  return `0x${h.digest('hex')}`
}
