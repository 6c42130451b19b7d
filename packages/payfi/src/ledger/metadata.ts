import { z } from 'zod'
import { payfiError } from '../errors.js'

/**
 * `payout_address_<i>`: the address a settlement reservation's leg `i` is paid to, recorded when
 * the batch is planned (one per leg; an entry has at most 16).
 */
export const payoutAddressKeys = Array.from(
  { length: 16 },
  (_, i) => `payout_address_${i}` as `payout_address_${number}`,
)

/**
 * The only metadata keys the ledger and webhooks keep. Each value must be an opaque identifier
 * (letters, digits, `_ . : -`, no spaces, at most 64 characters). Free text (names, notes,
 * descriptions) has no key here: it stays in the caller's own store, so no patient-identifying
 * text can reach the journal, a webhook or a chain.
 */
export const metadataKeys = [
  'payment_id',
  'merchant_id',
  'operation',
  'order_id',
  'invoice_id',
  'clinic_id',
  'service_code',
  'settlement_id',
  'payout_id',
  'epoch_id',
  'asset_id',
  ...payoutAddressKeys,
] as const

export type MetadataKey = (typeof metadataKeys)[number]
export type Metadata = Partial<Record<MetadataKey, string>>

const opaqueId = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/

/**
 * Checks metadata against the allow-list; anything else throws `PAYFI_METADATA_REFUSED`
 * naming the key (never echoing the value, which may be patient data).
 *
 * @param value - a plain object of string values, or undefined.
 * @returns a frozen copy with keys sorted.
 * @example
 * ```ts
 * import { parseMetadata } from '@btt/payfi'
 * parseMetadata({ order_id: 'A-1001' })
 * ```
 */
export function parseMetadata(value: unknown): Metadata {
  if (value === undefined) return {}
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw refused('(root)', 'metadata must be a plain object')
  const out: Record<string, string> = {}
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key]
    if (!(metadataKeys as readonly string[]).includes(key))
      throw refused(key, `key is not allow-listed (allowed: ${metadataKeys.join(', ')})`)
    if (typeof v !== 'string' || !opaqueId.test(v))
      throw refused(key, 'value must be an opaque identifier (no spaces, at most 64 characters)')
    out[key] = v
  }
  return Object.freeze(out)
}

function refused(key: string, why: string) {
  return payfiError('PAYFI_METADATA_REFUSED', `Metadata refused at "${key}": ${why}.`, {
    details: { key, reason: why },
  })
}

/** zod schema form, for request bodies. */
export const metadataSchema = z.unknown().transform((value) => parseMetadata(value))
