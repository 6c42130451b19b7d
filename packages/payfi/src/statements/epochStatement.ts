import { z } from 'zod'
import { parsePayfi, payfiError } from '../errors.js'
import { type Currency, currencies } from '../ledger/currencies.js'
import { canonicalHash } from '../ledger/unit.js'

const opaque = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,39}$/
const units = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, 'a non-negative integer in base units, as a decimal string')

/**
 * A compute epoch statement (version 1): what each node earned in one epoch of the compute
 * network. `revenueShare` is in the ledger minor units of `currency` (paid in that currency's
 * settlement asset); `emission` is mining emission in BTT base units (18 decimals). Amounts are
 * decimal strings in JSON. `contentHash` is the sha-256 of the canonical JSON of every other
 * field (sorted keys, no whitespace): {@link epochStatementHash}.
 */
export const epochStatementSchema = z.strictObject({
  version: z.literal(1),
  epochId: z.string().regex(opaque, 'an opaque id (letters, digits, _ . : -), at most 40'),
  currency: z.enum(
    Object.keys(currencies).filter((c) => c !== 'BTT' && c !== 'POINTS') as [Currency],
  ),
  nodes: z
    .array(
      z.strictObject({
        address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
        revenueShare: units,
        emission: units,
      }),
    )
    .min(1)
    .max(10_000),
  totals: z.strictObject({ revenueShare: units, emission: units }),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
})

export type EpochStatement = z.infer<typeof epochStatementSchema>

/** The content hash of a statement: sha-256 of canonical JSON without `contentHash`. */
export function epochStatementHash(statement: Omit<EpochStatement, 'contentHash'>): string {
  const body = parsePayfi(
    epochStatementSchema.extend({ contentHash: z.string().optional() }),
    statement,
    'compute epoch statement',
  )
  const { contentHash: _, ...rest } = body
  return canonicalHash(rest)
}

/**
 * Checks a compute epoch statement: its shape (zod), that the nodes sum to the totals, that no
 * address appears twice, and that the content hash matches. Shape errors throw
 * `PAYFI_INVALID_ARGUMENT`; totals, duplicates or hash throw `PAYFI_STATEMENT_INVALID`.
 *
 * @param value - the statement as parsed JSON.
 * @returns the statement, typed.
 * @example
 * ```ts
 * import { epochStatementHash, parseEpochStatement } from '@btt/payfi'
 * const body = { version: 1 as const, epochId: 'e42', currency: 'CNY' as const,
 *   nodes: [{ address: `0x${'ab'.repeat(20)}`, revenueShare: '1200', emission: '5' }],
 *   totals: { revenueShare: '1200', emission: '5' } }
 * parseEpochStatement({ ...body, contentHash: epochStatementHash(body) })
 * ```
 */
export function parseEpochStatement(value: unknown): EpochStatement {
  const s = parsePayfi(epochStatementSchema, value, 'compute epoch statement')
  const sum = (k: 'revenueShare' | 'emission') => s.nodes.reduce((t, n) => t + BigInt(n[k]), 0n)
  const problems: string[] = []
  for (const k of ['revenueShare', 'emission'] as const)
    if (sum(k) !== BigInt(s.totals[k]))
      problems.push(`${k} of the nodes is ${sum(k)}, totals say ${s.totals[k]}`)
  if (new Set(s.nodes.map((n) => n.address.toLowerCase())).size !== s.nodes.length)
    problems.push('a node address appears twice')
  if (epochStatementHash(s) !== s.contentHash) problems.push('the content hash does not match')
  if (problems.length > 0)
    throw payfiError(
      'PAYFI_STATEMENT_INVALID',
      `Epoch statement ${s.epochId}: ${problems.join('; ')}.`,
      {
        details: { epochId: s.epochId, problems },
      },
    )
  return s
}
