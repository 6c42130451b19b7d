import { z } from 'zod'
import { parsePayfi, payfiError } from '../errors.js'
import { type Currency, currencies } from '../ledger/currencies.js'

/** A rate: 1 major unit of `from` = `rate` major units of `to`, observed at `timestamp` (ms). */
export type FxRate = { rate: string; timestamp: number }

/** Pluggable FX rate source (a bank feed, an oracle, a fixed table in tests). */
export type RateSource = (from: Currency, to: Currency) => Promise<FxRate>

export type FxConversion = {
  from: Currency
  to: Currency
  rate: string
  rateTimestamp: number
  sourceAmount: bigint
  amount: bigint
}

/**
 * Converts `amount` (base units of `from`) with a rate from `source`, rounded half up to the base
 * unit of `to`. A failing source throws `PAYFI_RATE_UNAVAILABLE`; a rate older than `maxAgeMs`
 * throws `PAYFI_RATE_STALE`. The rate and its timestamp are returned for the record.
 */
export async function convert(
  source: RateSource | undefined,
  amount: bigint,
  from: Currency,
  to: Currency,
  options: { now: number; maxAgeMs: number; timeoutMs: number },
): Promise<FxConversion> {
  if (!source)
    throw payfiError('PAYFI_RATE_UNAVAILABLE', `No rate source is configured for ${from}→${to}.`, {
      details: { from, to },
    })
  let fx: FxRate
  let timer: NodeJS.Timeout | undefined
  try {
    fx = await Promise.race([
      source(from, to),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('rate source timed out')), options.timeoutMs)
      }),
    ])
  } catch (cause) {
    throw payfiError('PAYFI_RATE_UNAVAILABLE', `The rate source failed for ${from}→${to}.`, {
      cause,
      details: { from, to },
    })
  } finally {
    clearTimeout(timer)
  }
  const match = typeof fx?.rate === 'string' ? /^(\d+)(?:\.(\d{1,18}))?$/.exec(fx.rate) : null
  if (!match || !Number.isSafeInteger(fx.timestamp) || /^0*(\.0*)?$/.test(fx.rate))
    throw payfiError(
      'PAYFI_RATE_UNAVAILABLE',
      `The rate source gave an unusable rate for ${from}→${to}.`,
      {
        details: { from, to },
      },
    )
  const age = options.now - fx.timestamp
  if (age > options.maxAgeMs)
    throw payfiError(
      'PAYFI_RATE_STALE',
      `The ${from}→${to} rate is ${age} ms old (limit ${options.maxAgeMs}).`,
      {
        details: { from, to, ageMs: age, maxAgeMs: options.maxAgeMs, rateTimestamp: fx.timestamp },
      },
    )
  const fraction = match[2] ?? ''
  const num = BigInt(match[1]! + fraction)
  const den = 10n ** BigInt(fraction.length)
  const scaleNum = num * 10n ** BigInt(currencies[to].decimals)
  const scaleDen = den * 10n ** BigInt(currencies[from].decimals)
  const converted = (amount * scaleNum * 2n + scaleDen) / (2n * scaleDen)
  return {
    from,
    to,
    rate: fx.rate,
    rateTimestamp: fx.timestamp,
    sourceAmount: amount,
    amount: converted,
  }
}

/**
 * A fixed rate table, for tests and demos: `{ 'USD/CNY': '7.1' }`, stamped with `now()`.
 *
 * @param table - pair → decimal rate.
 * @param now - clock for the timestamps.
 * @returns a {@link RateSource}.
 * @example
 * ```ts
 * import { fixedRates } from '@btt/payfi'
 * const rates = fixedRates({ 'USD/CNY': '7.1' })
 * ```
 */
export function fixedRates(
  table: Record<string, string>,
  now: () => number = Date.now,
): RateSource {
  parsePayfi(
    z.record(z.string().regex(/^[A-Z]+\/[A-Z]+$/), z.string().regex(/^\d+(\.\d{1,18})?$/)),
    table,
    'rate table',
  )
  parsePayfi(z.function(), now, 'clock')
  return async (from, to) => {
    const rate = table[`${from}/${to}`]
    if (rate === undefined) throw payfiError('PAYFI_RATE_UNAVAILABLE', `No ${from}/${to} rate.`)
    return { rate, timestamp: now() }
  }
}
