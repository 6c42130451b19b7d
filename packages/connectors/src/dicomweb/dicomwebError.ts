import { ConnectorsError, type ConnectorsErrorCode } from '../errors.js'
import { connectionFailure } from './connectionFailure.js'

export type DicomwebFailure = {
  url: string
  /** HTTP status, 0 when no response came. */
  status: number
  /** The server's body (an HTTP error), first 500 characters kept. */
  body?: string
  /** What went wrong, in words. */
  reason?: string
  /** The exchange passed its no-progress timeout or its deadline. */
  timedOut?: boolean
  /** The body is not what the standard says. */
  badResponse?: boolean
}

/**
 * One place that turns a failed DICOMweb exchange into a coded error: `DICOMWEB_TIMEOUT`,
 * `DICOMWEB_UNREACHABLE` (with the connection failure's category and code in `details`),
 * `DICOMWEB_HTTP_ERROR` or `DICOMWEB_BAD_RESPONSE`.
 *
 * @param p - what is known about the failure.
 * @param cause - what was thrown underneath.
 * @returns the error to throw.
 * @example
 * ```ts
 * throw dicomwebError({ url, status: 502, body: 'Bad gateway' })
 * ```
 */
export function dicomwebError(p: DicomwebFailure, cause?: unknown): ConnectorsError {
  const connection =
    !p.timedOut && !p.badResponse && p.status < 400 && cause !== undefined
      ? connectionFailure(cause)
      : undefined
  const code: ConnectorsErrorCode = p.timedOut
    ? 'DICOMWEB_TIMEOUT'
    : p.badResponse
      ? 'DICOMWEB_BAD_RESPONSE'
      : p.status >= 400
        ? 'DICOMWEB_HTTP_ERROR'
        : 'DICOMWEB_UNREACHABLE'
  const reason = p.reason ?? connection?.reason
  const what = p.status ? `HTTP ${p.status}` : 'request failed'
  return new ConnectorsError(code, `DICOMweb ${what} for ${p.url}${reason ? `: ${reason}` : ''}.`, {
    cause,
    details: {
      status: p.status,
      url: p.url,
      ...(reason ? { reason } : {}),
      ...(connection && code === 'DICOMWEB_UNREACHABLE'
        ? { category: connection.category, errorCode: connection.errorCode ?? null }
        : {}),
      ...(p.body ? { body: p.body.slice(0, 500) } : {}),
    },
  })
}
