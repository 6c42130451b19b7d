import {
  defaultConfig,
  type EngineConfig,
  engineConfigSchema,
  type SettlementConfig,
} from '@btt/core'
import { z } from 'zod'
import { parsePayfi } from '../errors.js'
import { type Currency, currencies } from '../ledger/currencies.js'
import type { SettlementAsset, SettlementChain, SettlementStep } from './types.js'

/** The schedule and confirmations of a `settlement` config section, in this package's units. */
function fromConfig(s: SettlementConfig) {
  return {
    intervalMs: s.intervalSeconds * 1000,
    confirmations: s.confirmations,
    pollMs: 1000,
    confirmTimeoutMs: s.confirmTimeoutSeconds * 1000,
  }
}

/**
 * The defaults, read from @btt/core's versioned config (`defaultConfig.settlement`: an hourly
 * run, 2 confirmations, 15 minutes to confirm), plus a poll a second.
 */
export const settlementDefaults = Object.freeze(fromConfig(defaultConfig.settlement))

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
  /**
   * Engine config whose `settlement` section gives the schedule, confirmations and confirmation
   * timeout (default: @btt/core's `defaultConfig`); the explicit options above win over it.
   */
  config?: Pick<EngineConfig, 'settlement'>
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
  config: z.object({ settlement: z.unknown() }).loose().optional(),
})
const configSchema = z.object({ settlement: engineConfigSchema.shape.settlement }).loose()

export type ResolvedSettlementOptions = Required<Omit<SettlementOptions, 'runId' | 'config'>> & {
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
  const { config, ...rest } = options
  const defaults = config
    ? fromConfig(parsePayfi(configSchema, config, 'settlement config').settlement)
    : settlementDefaults
  return {
    ...defaults,
    onStep: () => undefined,
    runId: defaultRunId,
    ...rest,
  } as ResolvedSettlementOptions
}

function defaultRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)
  return `r${t}${Math.random().toString(36).slice(2, 8)}`
}
