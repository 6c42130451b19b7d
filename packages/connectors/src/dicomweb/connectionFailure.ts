/** Why a connection failed, in words a user can act on, from the codes Node and undici use. */
export type ConnectionFailure = {
  /** refused, dns, tls, reset, or other. */
  category: 'refused' | 'dns' | 'tls' | 'reset' | 'other'
  /** The system or undici code that told us (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED …). */
  errorCode: string | undefined
  /** One line: what went wrong and the code. */
  reason: string
}

const TLS = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/

/** The first `code` on the error, its causes, or the errors of an AggregateError. */
function findCode(error: unknown, depth = 0): { code: string; hostname?: string } | undefined {
  if (!error || typeof error !== 'object' || depth > 8) return undefined
  const e = error as { code?: unknown; hostname?: unknown; cause?: unknown; errors?: unknown }
  // undici wraps the socket's error: the innermost code says the most
  const inner = findCode(e.cause, depth + 1)
  if (inner) return inner
  if (Array.isArray(e.errors))
    for (const each of e.errors) {
      const found = findCode(each, depth + 1)
      if (found) return found
    }
  if (typeof e.code === 'string')
    return typeof e.hostname === 'string'
      ? { code: e.code, hostname: e.hostname }
      : { code: e.code }
  return undefined
}

/**
 * Classifies a failed connection (fetch's `TypeError: fetch failed`, a body stream's
 * `terminated`) by the code in its cause chain: refused, DNS, TLS or reset.
 *
 * @param error - what fetch or the body stream threw.
 * @returns the category, the code and a one-line reason.
 * @example
 * ```ts
 * connectionFailure(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }))
 * // { category: 'refused', errorCode: 'ECONNREFUSED', reason: 'connection refused (ECONNREFUSED)' }
 * ```
 */
export function connectionFailure(error: unknown): ConnectionFailure {
  const found = findCode(error)
  const code = found?.code
  const fallback = error instanceof Error ? error.message : String(error)
  if (!code) return { category: 'other', errorCode: undefined, reason: fallback }
  const said = (category: ConnectionFailure['category'], text: string): ConnectionFailure => ({
    category,
    errorCode: code,
    reason: `${text} (${code})`,
  })
  if (code === 'ECONNREFUSED') return said('refused', 'connection refused')
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL')
    return said(
      'dns',
      `host name${found?.hostname ? ` ${found.hostname}` : ''} could not be resolved`,
    )
  if (TLS.test(code)) return said('tls', 'TLS handshake failed: certificate not accepted')
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
    return said('reset', 'connection reset or closed by the server')
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')
    return said('other', 'connection timed out')
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return said('other', 'host unreachable')
  return said('other', fallback)
}
