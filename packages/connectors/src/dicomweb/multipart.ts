import { ConnectorsError } from '../errors.js'

/** One part of a multipart/related body. */
export type Part = { headers: Record<string, string>; body: Uint8Array }

/** The boundary parameter of a multipart Content-Type, unquoted. */
export function boundaryOf(contentType: string | null): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '')
  return m?.[1] ?? m?.[2]
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!
  const last = haystack.length - needle.length
  for (let i = from; i <= last; i++) {
    if (haystack[i] !== first) continue
    let j = 1
    while (j < needle.length && haystack[i + j] === needle[j]) j++
    if (j === needle.length) return i
  }
  return -1
}

/**
 * Parses a multipart/related stream part by part, holding at most one part (plus a chunk) in
 * memory: a study of any size streams through.
 */
export async function* parseMultipart(
  stream: AsyncIterable<Uint8Array>,
  boundary: string,
): AsyncGenerator<Part> {
  const delimiter = new TextEncoder().encode(`--${boundary}`)
  let buffer = new Uint8Array(0)
  let started = false
  const append = (chunk: Uint8Array) => {
    const next = new Uint8Array(buffer.length + chunk.length)
    next.set(buffer)
    next.set(chunk, buffer.length)
    buffer = next
  }
  const decoder = new TextDecoder('latin1')
  for await (const chunk of stream) {
    append(chunk)
    for (;;) {
      const at = indexOf(buffer, delimiter, 0)
      if (at < 0) break
      if (started) {
        // a part runs from after the previous delimiter's line to here, minus the CRLF before it
        const part = buffer.subarray(0, at >= 2 && buffer[at - 2] === 13 ? at - 2 : at)
        const headerEnd = indexOf(part, new Uint8Array([13, 10, 13, 10]), 0)
        if (headerEnd >= 0) {
          const headers: Record<string, string> = {}
          for (const line of decoder.decode(part.subarray(0, headerEnd)).split('\r\n')) {
            const i = line.indexOf(':')
            if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
          }
          yield { headers, body: part.slice(headerEnd + 4) }
        }
      }
      started = true
      // skip the delimiter and the rest of its line ("--" closes the body)
      let rest = at + delimiter.length
      if (buffer[rest] === 45 && buffer[rest + 1] === 45) return
      while (rest < buffer.length && buffer[rest] !== 10) rest++
      buffer = buffer.slice(rest + 1)
    }
  }
  // the stream ended without the closing delimiter: the last part may be cut short
  throw new ConnectorsError(
    'DICOMWEB_BAD_RESPONSE',
    started
      ? 'the multipart body ended before its closing delimiter (truncated)'
      : 'the multipart body has no part delimiter',
    { details: { boundary } },
  )
}

/** A multipart/related body of DICOM parts, produced lazily (for STOW-RS). */
export function multipartBody(
  parts: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  boundary: string,
  type = 'application/dicom',
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  const iterator = (
    Symbol.asyncIterator in parts
      ? parts[Symbol.asyncIterator]()
      : (parts as Iterable<Uint8Array>)[Symbol.iterator]()
  ) as AsyncIterator<Uint8Array> | Iterator<Uint8Array>
  let done = false
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return controller.close()
      const next = await iterator.next()
      if (next.done) {
        done = true
        controller.enqueue(enc.encode(`--${boundary}--\r\n`))
        return
      }
      controller.enqueue(enc.encode(`--${boundary}\r\nContent-Type: ${type}\r\n\r\n`))
      controller.enqueue(next.value)
      controller.enqueue(enc.encode('\r\n'))
    },
  })
}
