import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { parsePayfi, payfiError } from '../errors.js'
import type { PayfiStore } from '../ledger/store.js'

/** sha-256 of an API key: only this is stored. */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex')

/**
 * Creates an API key for a merchant; only its hash is stored, the key is returned once.
 *
 * @param store - the store.
 * @param merchantId - the merchant the key acts for.
 * @returns the key (`sk_…`), to hand to the merchant.
 * @example
 * ```ts
 * import { createApiKey, openSqliteLedger } from '@btt/payfi'
 * const key = await createApiKey(openSqliteLedger(':memory:'), 'clinic_1')
 * ```
 */
export async function createApiKey(store: PayfiStore, merchantId: string): Promise<string> {
  parsePayfi(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), merchantId, 'merchant id')
  const key = `sk_${randomBytes(24).toString('base64url')}`
  await store.putApiKey(hashApiKey(key), merchantId, Date.now())
  return key
}

/** The merchant an `Authorization: Bearer <key>` header acts for; `PAYFI_UNAUTHORIZED` otherwise. */
export async function authenticate(store: PayfiStore, header: string | undefined): Promise<string> {
  const match = /^Bearer (sk_[A-Za-z0-9_-]{16,128})$/.exec(header ?? '')
  const merchant = match ? await store.findApiKey(hashApiKey(match[1]!)) : null
  if (!merchant) throw payfiError('PAYFI_UNAUTHORIZED', 'Missing or unknown API key.')
  return merchant
}
