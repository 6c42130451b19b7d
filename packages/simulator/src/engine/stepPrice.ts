import { DAY, YEAR } from '@btt/core'
import type { Rng } from '../random/createRng.js'
import type { SampledScenario } from '../scenario/sampleScenario.js'

/**
 * The token price after one epoch: unchanged (`fixed`), a geometric Brownian motion step
 * (`gbm`), or `pressure`: fee-driven buying against contributors selling rewards, over the
 * market's depth, plus other trading's noise.
 *
 * @param price - the price before the epoch, CNY.
 * @param flows - the epoch's revenue (CNY) and tokens emitted, and its length; `sold`: tokens the
 * nodes sold this epoch (per-node engine), instead of `sellShareOfRewards` of the emission.
 */
export function stepPrice(
  price: number,
  token: SampledScenario['token'],
  flows: { revenue: number; emitted: number; seconds: number; sold?: number },
  rng: Rng,
): number {
  if (token.model === 'gbm') {
    const dt = flows.seconds / YEAR
    const sigma = token.annualVolatility
    return (
      price *
      Math.exp(
        (token.annualDrift - (sigma * sigma) / 2) * dt + sigma * Math.sqrt(dt) * rng.normal(),
      )
    )
  }
  if (token.model === 'pressure') {
    const buy = token.buyShareOfRevenue * flows.revenue
    // the per-node engine passes what the nodes chose to sell; cohorts sell a fixed share
    const sell = (flows.sold ?? token.sellShareOfRewards * flows.emitted) * price
    const noise = token.dailyNoise * Math.sqrt(flows.seconds / DAY)
    return (
      price * Math.exp((buy - sell) / token.liquidityCny + (noise > 0 ? noise * rng.normal() : 0))
    )
  }
  return price
}
