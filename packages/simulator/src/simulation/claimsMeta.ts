import type { Claim } from '../scenario/schema.js'

/** What the report draws for each claim: its tier, its band and its months. */
export function claimsMeta(
  claims: readonly Claim[],
): Map<string, { tier?: string; band?: [number, number]; months: [number, number] }> {
  return new Map(
    claims.map((c) => [
      c.id,
      {
        ...(c.tier ? { tier: c.tier } : {}),
        ...(c.between ? { band: c.between } : {}),
        months: c.months,
      },
    ]),
  )
}
