import { ConnectorsError } from '../errors.js'
import { badResponse } from './badResponse.js'
import { boundaryOf, parseMultipart } from './multipart.js'
import type { Request } from './openExchange.js'

/**
 * WADO-RS: the instances of a multipart/related answer, one at a time (Part 10 bytes). A body that
 * is not multipart or ends before its closing delimiter is DICOMWEB_BAD_RESPONSE.
 *
 * @param request - the client's request function.
 * @param path - e.g. `/studies/1.2.3`.
 * @returns the instances, streamed.
 * @example
 * ```ts
 * for await (const bytes of createDicomwebClient({ url }).retrieveStudy('1.2.3')) console.log(bytes.length)
 * ```
 */
export async function* wado(request: Request, path: string): AsyncGenerator<Uint8Array> {
  const exchange = await request(path, {
    headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
  })
  const boundary = boundaryOf(exchange.response.headers.get('content-type'))
  if (!boundary) {
    await exchange.text().catch(() => '') // ends the exchange and its timer
    throw badResponse(exchange, 'the response is not multipart/related')
  }
  try {
    for await (const part of parseMultipart(exchange.chunks(), boundary)) yield part.body
  } catch (error) {
    throw error instanceof ConnectorsError && error.code === 'DICOMWEB_BAD_RESPONSE'
      ? badResponse(exchange, error.shortMessage, error)
      : error
  }
}
