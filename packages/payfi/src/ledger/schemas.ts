import { z } from 'zod'
import { parsePayfi } from '../errors.js'
import { currencies, MAX_AMOUNT } from './currencies.js'
import { metadataSchema } from './metadata.js'
import type { AccountInput, TransferInput, TransferQuery } from './types.js'

const id = z.string().min(1).max(128)
const amount = z.bigint().positive().max(MAX_AMOUNT)
const currency = z.enum(Object.keys(currencies) as [keyof typeof currencies])
const leg = z.strictObject({ debit: id, credit: id, amount })

const accountSchema = z.strictObject({
  id,
  currency,
  flags: z
    .strictObject({
      debitsMustNotExceedCredits: z.boolean().optional(),
      creditsMustNotExceedDebits: z.boolean().optional(),
    })
    .refine((f) => !(f.debitsMustNotExceedCredits && f.creditsMustNotExceedDebits), {
      message: 'an account takes at most one of the two balance flags',
    })
    .optional(),
})

const transferSchema = z.union([
  z.strictObject({
    id,
    legs: z.array(leg).min(1).max(16),
    pending: z.boolean().optional(),
    metadata: metadataSchema.optional(),
  }),
  z.strictObject({
    id,
    post: id,
    amounts: z.array(z.bigint().nonnegative().max(MAX_AMOUNT)).min(1).max(16).optional(),
    metadata: metadataSchema.optional(),
  }),
  z.strictObject({ id, void: id, metadata: metadataSchema.optional() }),
])

const querySchema = z.strictObject({
  accountId: id.optional(),
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
  metadata: metadataSchema.optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
})

/** Validates transfer inputs (one, or a linked list); throws `PAYFI_INVALID_ARGUMENT`. */
export function parseTransfers(input: unknown): TransferInput[] {
  const list = Array.isArray(input) ? input : [input]
  if (list.length === 0 || list.length > 64)
    parsePayfi(z.array(z.unknown()).min(1).max(64), list, 'transfers')
  const out = list.map((t, i) => parsePayfi(transferSchema, t, `transfer ${i}`) as TransferInput)
  const ids = new Set(out.map((t) => t.id))
  if (ids.size !== out.length)
    parsePayfi(z.never(), 'duplicate ids in one linked write', 'transfers')
  return out
}

export function parseAccounts(input: unknown): AccountInput[] {
  return parsePayfi(z.array(accountSchema).min(1).max(1000), input, 'accounts') as AccountInput[]
}

export function parseQuery(input: unknown): TransferQuery {
  return parsePayfi(querySchema, input, 'transfer query') as TransferQuery
}

export function parseId(input: unknown, subject = 'id'): string {
  return parsePayfi(id, input, subject)
}

export function parseTime(input: unknown, subject = 'time'): number {
  return parsePayfi(z.number().int().nonnegative(), input, subject)
}
