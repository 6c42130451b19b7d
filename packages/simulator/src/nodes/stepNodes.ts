import type { Rng } from '../random/createRng.js'
import { epochsUntilFlipLog } from './epochsUntilFlip.js'
import { exactSplit } from './exactSplit.js'
import type { NodeRun } from './nodeRun.js'
import { setState } from './population.js'
import { regionFactors } from './regionFactors.js'

const TWO48 = 2 ** 48

/** The nodes whose outage starts or ends at epoch `e` flip; each schedules its next flip. */
export function stepUptime(run: NodeRun, e: number, rng: Rng): void {
  const p = run.pop
  const { nextFlip: next, n } = p
  for (let i = 0; i < n; i++) {
    if (next[i]! > e) continue
    const up = p.up[i] === 0
    setState(p, i, up)
    next[i] =
      e +
      (up
        ? epochsUntilFlipLog(p.pFail[i]!, p.logStayUp[i]!, rng)
        : epochsUntilFlipLog(p.pRecover[i]!, p.logStayDown[i]!, rng))
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
 * the time it was up; what it sells (`sellNow`: its `sellShare`, everything while it is losing money) and
 * stakes the rest.
 *
 * @returns tokens sold by all nodes.
 */
export function bookEpoch(
  run: NodeRun,
  paid: { revenue: boolean; rewards: boolean },
  price: number,
): number {
  const { n, up, powerCost, monthProfit, monthRewards, sellNow, staked } = run.pop
  const { lo: rLo, hi: rHi, bucket: rB, cut: rCut, hiZero } = run.revOut
  const { lo: dLo, hi: dHi, bucket: dB, cut: dCut } = run.divOut
  const { revenue, rewards } = paid
  let sold = 0
  for (let i = 0; i < n; i++) {
    // the leftover unit owed above each split's cut (lo + 1 ≤ 2^48: the sum is the same double
    // as with the unit carried into hi)
    const cny = revenue
      ? ((hiZero ? 0 : rHi[i]! * TWO48) + (rLo[i]! + ((rCut - rB[i]!) >>> 31))) / 100
      : 0
    const tokens = rewards ? (dHi[i]! * TWO48 + (dLo[i]! + ((dCut - dB[i]!) >>> 31))) / 1e18 : 0
    const value = cny + tokens * price
    // up is 0 or 1 and the cost finite and non-negative: the same as `up ? cost : 0`, no branch
    const cost = powerCost[i]! * up[i]!
    monthProfit[i]! += value - cost
    monthRewards[i]! += value
    const sell = tokens * sellNow[i]!
    sold += sell
    staked[i]! += tokens - sell
  }
  return sold
}
