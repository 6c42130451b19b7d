import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhook } from '@btt/payfi'

/** A verified PayFi event as the fintech's app sees it. */
export type ReceivedEvent = {
  id: string
  type: string
  sequence: number
  merchant_id: string
  data: { id: string; status: string }
}

export type WebhookReceiver = {
  url: string
  /** Events whose signature matched the raw body, de-duplicated on the event id. */
  verified: ReceivedEvent[]
  /** Requests refused because the signature did not match (answered 400). */
  refused: number
  /** The raw body and signature header of the last verified delivery. */
  last: { raw: Buffer; signature: string } | null
  /** Resolves once an event of this type for this payment has been verified. */
  waitFor(type: string, paymentId: string, timeoutMs: number): Promise<ReceivedEvent>
  close(): Promise<void>
}

/**
 * The embedding app's webhook endpoint: a plain Node http server on loopback that reads the RAW
 * body (the bytes received, never a re-serialised object), verifies `Payfi-Signature` with
 * `verifyWebhook`, de-duplicates on the event id (delivery is at least once) and answers 2xx.
 */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const verified: ReceivedEvent[] = []
  let refused = 0
  let last: WebhookReceiver['last'] = null
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    const signature = String(req.headers['payfi-signature'] ?? '')
    try {
      const event = verifyWebhook(raw, signature, secret) as ReceivedEvent
      last = { raw, signature }
      if (!verified.some((e) => e.id === event.id)) verified.push(event)
      res.writeHead(204).end()
    } catch {
      refused += 1
      res.writeHead(400).end()
    }
  })
  server.requestTimeout = 10_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/payfi/webhooks`,
    verified,
    get refused() {
      return refused
    },
    get last() {
      return last
    },
    async waitFor(type, paymentId, timeoutMs) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const e = verified.find((v) => v.type === type && v.data.id === paymentId)
        if (e) return e
        if (Date.now() > deadline) throw new Error(`no verified ${type} event for ${paymentId}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
