/** A payment as the REST API answers it (amounts in base units, as decimal strings). */
export type ApiPayment = {
  id: string
  merchantId: string
  status: string
  version: number
  quote: { currency: string; gross: string; fee: string; net: string; bps: number }
  amountCaptured: string
  feeCaptured: string
}

/** What the API answers: the payment, or its JSON error `{ code, message, details }`. */
export type ApiAnswer = { status: number; payment: ApiPayment; code?: string }

/**
 * The fintech's side of `btt payfi serve`: a POST with its API key and an `Idempotency-Key`, with
 * a timeout over the whole exchange. `post` throws on an error answer (naming its code);
 * `attempt` returns it.
 */
export function apiClient(baseUrl: string, apiKey: string) {
  const attempt = async (
    path: string,
    idempotencyKey: string,
    body: unknown = {},
  ): Promise<ApiAnswer> => {
    const r = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'idempotency-key': idempotencyKey,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    })
    const json = (await r.json()) as ApiPayment & { code?: string; message?: string }
    return r.ok
      ? { status: r.status, payment: json }
      : { status: r.status, payment: json, code: json.code ?? '' }
  }
  const post = async (path: string, idempotencyKey: string, body: unknown = {}) => {
    const a = await attempt(path, idempotencyKey, body)
    if (a.code !== undefined) throw new Error(`POST ${path}: ${a.status} ${a.code}`)
    return a
  }
  return { attempt, post }
}
