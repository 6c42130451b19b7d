import { z } from 'zod'
import { parsePayfi } from '../errors.js'
import { type Currency, currencies } from '../ledger/currencies.js'
import type { SettlementAsset, SettlementChain, SettlementStep } from './types.js'

/** Defaults: an hourly run, 2 confirmations, a poll a second, 15 minutes to confirm. */
export const settlementDefaults = Object.freeze({
  intervalMs: 60 * 60 * 1000,
  confirmations: 2,
  pollMs: 1000,
  confirmTimeoutMs: 15 * 60 * 1000,
})

export type SettlementOptions = {
  chain: SettlementChain
  /** The asset that settles each currency (e.g. CNY → a CNY stablecoin, BTT → the BTT token). */
  assets: Partial<Record<Currency, SettlementAsset>>
  /** Merchant id → payout address. Merchants not listed are not settled. */
  payees: Readonly<Record<string, string>>
  /** Blocks on top of and including the one with the payout (default 2). */
  confirmations?: number
  pollMs?: number
  confirmTimeoutMs?: number
  /** Scheduled runs: every `intervalMs` (default one hour). */
  intervalMs?: number
  /** Called after each named step of a batch (tests stop the process here). */
  onStep?: (
    step: SettlementStep,
    batchId: string,
    detail: { transactionHash: string | null },
  ) => void | Promise<void>
  /** A run id (opaque, ≤ 40 characters); default: `r` + UTC time + a random suffix. */
  runId?: () => string
}

const addr = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte address')
const asset = z.strictObject({ token: addr, decimals: z.number().int().min(0).max(36) })
const ccy = z.enum(Object.keys(currencies) as [Currency])

const schema = z.object({
  chain: z.custom<SettlementChain>(
    (c) => typeof c === 'object' && c !== null && typeof (c as SettlementChain).send === 'function',
    'a SettlementChain',
  ),
  assets: z.partialRecord(ccy, asset),
  payees: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/), addr),
  confirmations: z.number().int().min(1).max(100).optional(),
  pollMs: z.number().int().min(1).max(600_000).optional(),
  confirmTimeoutMs: z.number().int().min(1).optional(),
  intervalMs: z.number().int().min(1000).optional(),
  onStep: z.function().optional(),
  runId: z.function().optional(),
})

export type ResolvedSettlementOptions = Required<Omit<SettlementOptions, 'runId'>> & {
  runId: () => string
}

export function parseSettlementOptions(
  ledger: unknown,
  options: SettlementOptions,
): ResolvedSettlementOptions {
  parsePayfi(
    z.custom((l) => typeof (l as { write?: unknown })?.write === 'function', 'a ledger'),
    ledger,
    'ledger',
  )
  parsePayfi(schema, options, 'settlement options')
  return {
    ...settlementDefaults,
    onStep: () => undefined,
    runId: defaultRunId,
    ...options,
  } as ResolvedSettlementOptions
}

function defaultRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)
  return `r${t}${Math.random().toString(36).slice(2, 8)}`
}
