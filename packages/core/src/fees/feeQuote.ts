import { BPS } from '../constants.js'
import { CoreError } from '../errors.js'

export type FeeLine = { label: string; bps: number; amount: bigint }

/** A fee on a flow: `fee + net = gross`, exactly. */
export type FeeQuote = {
  gross: bigint
  fee: bigint
  net: bigint
  /** The fee's effective rate in basis points (sum of the lines' rates). */
  bps: number
  lines: FeeLine[]
}

/** `CORE_FEE_EXCEEDS_GROSS`: a configured fee would be larger than the amount it is taken from. */
export function feeExceedsGross(fee: bigint, gross: bigint): CoreError {
  return new CoreError(
    'CORE_FEE_EXCEEDS_GROSS',
    `The fee ${fee} is larger than the amount ${gross} it is taken from.`,
    { details: { fee: fee.toString(), gross: gross.toString() } },
  )
}

/** `CORE_UNKNOWN_FEE_CLASS`: a key (asset class, clinic size, …) the fee schedule does not list. */
export function unknownFeeClass(table: string, key: string, known: readonly string[]): CoreError {
  return new CoreError('CORE_UNKNOWN_FEE_CLASS', `Unknown ${table} "${key}".`, {
    details: { table, key, known },
    metaMessages: [`Known: ${known.join(', ')}`],
  })
}

/** `gross × bps / 10,000`, rounded half up to the base unit. */
export function bpsOf(gross: bigint, bps: number): bigint {
  return (gross * BigInt(bps) * 2n + BPS) / (2n * BPS)
}

/** Builds a quote from fee lines, each `bps` of `gross` rounded half up. */
export function feeQuote(gross: bigint, lines: readonly Omit<FeeLine, 'amount'>[]): FeeQuote {
  const priced = lines.map((line) => ({ ...line, amount: bpsOf(gross, line.bps) }))
  const fee = priced.reduce((sum, line) => sum + line.amount, 0n)
  if (fee > gross) throw feeExceedsGross(fee, gross)
  return {
    gross,
    fee,
    net: gross - fee,
    bps: priced.reduce((sum, line) => sum + line.bps, 0),
    lines: priced,
  }
}

/** The tier with the largest `key` not above `amount` (tiers sorted ascending, first at 0). */
export function tierFor<T>(tiers: readonly T[], amount: bigint, key: (tier: T) => bigint): T {
  let chosen = tiers[0] as T
  for (const tier of tiers) if (key(tier) <= amount) chosen = tier
  return chosen
}
