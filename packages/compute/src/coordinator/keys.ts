import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { parseArgs } from '../validate.js'
import type { CoordinatorStore } from './types.js'

/** The stored form of an API key: its sha-256 (the key itself is never stored). */
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex')

/**
 * Creates an API key for a clinic and stores its hash; the key is returned once and cannot be
 * read back.
 *
 * @returns the key, `btt_ck_` + 32 random bytes in hex.
 * @throws {ComputeError} `COMPUTE_INVALID_ARGUMENT` for a bad clinic id.
 */
export async function createApiKey(store: CoordinatorStore, clinic: string): Promise<string> {
  parseArgs(z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/), clinic, 'clinic id')
  const key = `btt_ck_${randomBytes(32).toString('hex')}`
  await store.addKey(hashKey(key), clinic)
  return key
}
