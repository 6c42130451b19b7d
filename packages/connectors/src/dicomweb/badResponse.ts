import { ConnectorsError } from '../errors.js'
import { dicomwebError } from './dicomwebError.js'
import type { Exchange } from './openExchange.js'

/** A body that is not what the standard says: DICOMWEB_BAD_RESPONSE with its content type. */
export function badResponse(exchange: Exchange, reason: string, cause?: unknown) {
  const error = dicomwebError(
    { status: exchange.response.status, url: exchange.url, reason, badResponse: true },
    cause,
  )
  return new ConnectorsError(error.code, error.shortMessage, {
    cause,
    details: {
      ...error.details,
      contentType: exchange.response.headers.get('content-type'),
    },
  })
}

/** The body as JSON, or DICOMWEB_BAD_RESPONSE quoting how it starts. */
export function parseJson(text: string, exchange: Exchange): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const start = JSON.stringify(text.slice(0, 40))
    throw badResponse(exchange, `the body is not JSON (it starts ${start})`, error)
  }
}
