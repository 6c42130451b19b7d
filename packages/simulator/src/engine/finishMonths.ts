/**
 * Closes a run's monthly series in place: the contributors' share of revenue and the emission to
 * revenue ratio per month, each tier's cumulative ROI, and the first month (1-based) in which
 * that ROI reaches 100% (the payback month; null when it never does).
 *
 * @returns the payback month by tier.
 */
export function finishMonths(
  mo: Record<string, Float64Array>,
  months: number,
  tierIds: readonly string[],
): Record<string, number | null> {
  for (let m = 0; m < months; m++) {
    const r = mo.revenue![m]!
    mo.contributorRevenueShare![m] = r > 0 ? mo.contributorRevenue![m]! / r : 0
    mo.emissionsToRevenue![m] = r > 0 ? mo.emissionValue![m]! / r : 0
  }
  const paybackMonth: Record<string, number | null> = {}
  for (const id of tierIds) {
    const monthly = mo[`monthlyRoi.${id}`]!
    const cumulative = mo[`cumulativeRoi.${id}`]!
    let sum = 0
    paybackMonth[id] = null
    for (let m = 0; m < months; m++) {
      sum += monthly[m]!
      cumulative[m] = sum
      if (paybackMonth[id] === null && sum >= 1) paybackMonth[id] = m + 1
    }
  }
  return paybackMonth
}
