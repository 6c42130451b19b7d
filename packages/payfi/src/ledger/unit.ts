import { createHash } from 'node:crypto'
import type { AccountInput, TransferInput } from './types.js'

/** A row of the payments table, versioned for optimistic concurrency. */
export type PaymentRecord = {
  id: string
  merchantId: string
  /** 0 when the payment is new; the write is refused if the stored version differs. */
  expectedVersion: number
  version: number
  data: string
}

export type IdempotencyRecord = {
  merchantId: string
  key: string
  requestHash: string
  response: string
  createdAt: number
  expiresAt: number
}

/** An outbox row, written in the same transaction as the change it announces. */
export type OutboxEvent = {
  id: string
  objectId: string
  /** Per-object sequence number: receivers order and de-duplicate with it. */
  objectSeq: number
  type: string
  payload: string
  createdAt: number
}

/**
 * What one atomic write carries: accounts to create, linked transfers, and the application rows
 * that must commit with them (payment state, idempotency key, outbox events) or not at all.
 */
export type CommitUnit = {
  accounts?: AccountInput[]
  transfers?: TransferInput[]
  payment?: PaymentRecord
  idempotency?: IdempotencyRecord
  events?: OutboxEvent[]
}

/** sha-256 of a value as canonical JSON (sorted keys, bigints as decimal strings). */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex')
}

export function canonicalJson(value: unknown): string {
  if (typeof value === 'bigint') return JSON.stringify(value.toString())
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** The content hash of a transfer input: the same id with another hash is a conflict. */
export function transferHash(input: TransferInput): string {
  // a flat, unambiguous encoding (ids JSON-quoted, amounts decimal, metadata keys sorted)
  const m = metadataText(input.metadata)
  let text: string
  if ('post' in input)
    text = `post|${JSON.stringify(input.post)}|${input.amounts ? input.amounts.join(',') : '-'}|${m}`
  else if ('void' in input) text = `void|${JSON.stringify(input.void)}|${m}`
  else {
    let legs = ''
    for (const l of input.legs)
      legs += `${JSON.stringify(l.debit)}>${JSON.stringify(l.credit)}:${l.amount};`
    text = `${input.pending ? 'pending' : 'posted'}|${legs}|${m}`
  }
  return createHash('sha256').update(text).digest('hex')
}

function metadataText(metadata: Record<string, string | undefined> | undefined): string {
  if (!metadata) return '{}'
  const keys = Object.keys(metadata).sort()
  return keys.length === 0 ? '{}' : canonicalJson(metadata)
}

/** Map key of an idempotency record. */
export const idemKey = (merchantId: string, key: string) => `${merchantId}\u0000${key}`
