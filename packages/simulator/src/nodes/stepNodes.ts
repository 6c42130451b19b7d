import type { Rng } from '../random/createRng.js'
import { epochsUntilFlip } from './epochsUntilFlip.js'
import { exactSplit } from './exactSplit.js'
import type { NodeRun } from './nodeRun.js'
import { setState } from './population.js'
import { regionFactors } from './regionFactors.js'

const TWO48 = 2 ** 48

/** The nodes whose outage starts or ends at epoch `e` flip; each schedules its next flip. */
export function stepUptime(run: NodeRun, e: number, rng: Rng): void {
  const p = run.pop
  const next = p.nextFlip
  for (let i = 0; i < p.n; i++) {
    if (next[i]! > e) continue
    const up = p.up[i] === 0
    setState(p, i, up)
    next[i] = e + epochsUntilFlip(up ? p.pFail[i]! : p.pRecover[i]!, rng)
  }
}

/**
 * Splits the epoch's contributor revenue (fen, by units × uptime) and reward pool (base units, by
 * the dividend formula with each region's factor at its node count) between the nodes, exactly.
 *
 * @returns whether anything was paid: revenue, rewards.
 */
export function splitEpoch(
  run: NodeRun,
  contributorsFen: bigint,
  pool: bigint,
): { revenue: boolean; rewards: boolean } {
  const p = run.pop
  const mult = p.dividend.mult as bigint[]
  regionFactors(run.engine, run.regionIds, run.regionCount, mult)
  const revenue = p.n > 0 && exactSplit(p.revenue, contributorsFen, run.revOut)
  const rewards = p.n > 0 && pool > 0n && exactSplit(p.dividend, pool, run.divOut)
  return { revenue, rewards }
}

/**
 * Books the epoch for every node: revenue share and rewards valued at `price`, electricity for
 * the time it was up; what it sells (its `sellShare`, everything while it is losing money) and
 * stakes the rest.
 *
 * @returns tokens sold by all nodes.
 */
export function bookEpoch(
  run: NodeRun,
  paid: { revenue: boolean; rewards: boolean },
  price: number,
): number {
  const p = run.pop
  const { lo: rLo, hi: rHi } = run.revOut
  const { lo: dLo, hi: dHi } = run.divOut
  let sold = 0
  for (let i = 0; i < p.n; i++) {
    const cny = paid.revenue ? (rHi[i]! * TWO48 + rLo[i]!) / 100 : 0
    const tokens = paid.rewards ? (dHi[i]! * TWO48 + dLo[i]!) / 1e18 : 0
    const value = cny + tokens * price
    const cost = p.up[i] ? p.powerCost[i]! * (p.uptimeWhenUpPpm[i]! / 1e6) : 0
    p.monthProfit[i]! += value - cost
    p.monthRewards[i]! += value
    const sell = tokens * (p.lossStreak[i]! > 0 ? 1 : p.sellShare[i]!)
    sold += sell
    p.staked[i]! += tokens - sell
  }
  return sold
}
