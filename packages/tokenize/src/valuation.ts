import { z } from 'zod'
import type { Valuation } from './asset.js'
import { TokenizeError } from './errors.js'

export const valuationSchema = z.strictObject({
  value: z.bigint(),
  date: z.number().int().nonnegative(),
  method: z.string().min(1).max(64),
  appraiser: z.string().min(1).max(128),
})

/**
 * Checks a valuation as the registry will: a positive value, dated no later than `now` and no
 * earlier than the previous valuation (`after`).
 *
 * @throws {TokenizeError} `TOKENIZE_INVALID_VALUATION`.
 */
export function checkValuation(v: Valuation, bounds: { now: number; after: number }): Valuation {
  const why =
    v.value <= 0n
      ? `its value ${v.value} is not positive`
      : v.date > bounds.now
        ? `its date ${new Date(v.date).toISOString()} is in the future`
        : v.date < bounds.after
          ? `its date is before the previous valuation's (${new Date(bounds.after).toISOString()})`
          : null
  if (why)
    throw new TokenizeError('TOKENIZE_INVALID_VALUATION', `Refused valuation: ${why}.`, {
      details: { value: v.value.toString(), date: v.date },
    })
  return v
}
