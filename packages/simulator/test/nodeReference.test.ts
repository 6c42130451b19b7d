import { type ContributorNode, CoreError, dividendShares, shareContributorRevenue } from '@btt/core'
import { describe, expect, test } from 'vitest'
import { prepareVariant } from '../src/engine/prepareVariant.js'
import { shareOf } from '../src/nodes/exactSplit.js'
import { runNodes } from '../src/nodes/runNodes.js'
import { parseScenario } from '../src/scenario/parseScenario.js'
import { nodeScenarios } from './nodeScenarios.js'

// The per-node reference: for every epoch, the nodes as the engine holds them are handed to
// @btt/core's public functions one entry per node, in a plain loop, and every node's payout must
// equal the engine's to the base unit (wei for rewards, fen for revenue).

describe.each(nodeScenarios)('per-node engine equals the reference: $name', (scenario) => {
  test('every node, every epoch, to the unit', () => {
    const variant = parseScenario(scenario).variants[0]!
    const prepared = prepareVariant(variant)
    let checked = 0
    let epochsSeen = 0
    const result = runNodes(prepared, 0, 1234, ({ run, pool, contributorsFen, paid }) => {
      epochsSeen++
      const p = run.pop
      const nodes: ContributorNode[] = []
      const supplied: bigint[] = []
      for (let i = 0; i < p.n; i++) {
        const uptimePpm = p.up[i] ? p.uptimeWhenUpPpm[i]! : 0
        nodes.push({
          id: `node-${p.id[i]}`,
          region: run.regionIds[p.region[i]!]!,
          gpuUnits: p.gpuUnits[i]!,
          uptimePpm,
          latencyMs: p.latencyMs[i]!,
          throughput: p.throughput[i]!,
          gflopsPerWatt: p.gflopsPerWatt[i]!,
        })
        supplied.push(BigInt(p.gpuUnits[i]!) * BigInt(uptimePpm))
      }
      let rewards: bigint[] | undefined
      try {
        rewards = dividendShares(nodes, pool, variant.engine).shares.map((s) => s.amount)
      } catch (error) {
        if (!(error instanceof CoreError && error.code === 'CORE_NO_ELIGIBLE_NODES')) throw error
      }
      const revenue = supplied.some((w) => w > 0n)
        ? shareContributorRevenue(contributorsFen, supplied)
        : undefined
      expect(paid.rewards).toBe(rewards !== undefined && pool > 0n)
      expect(paid.revenue).toBe(revenue !== undefined)
      for (let i = 0; i < p.n; i++) {
        if (rewards) expect(shareOf(run.divOut, i)).toBe(rewards[i])
        if (revenue) expect(shareOf(run.revOut, i)).toBe(revenue[i])
        checked++
      }
    })
    expect(epochsSeen).toBe(prepared.epochs)
    expect(checked).toBe(result.nodeEpochs)
    expect(checked).toBeGreaterThan(prepared.epochs * 5)
    // the fast path did the work (the bigint fallback is exact by construction)
    expect(result.exactFallbacks).toBeLessThan(prepared.epochs / 4)
  })
})

describe('determinism', () => {
  test('same seed, same nodes and payouts; another seed differs', () => {
    const prepared = prepareVariant(parseScenario(nodeScenarios[1]!).variants[0]!)
    const a = runNodes(prepared, 0, 99)
    const b = runNodes(prepared, 0, 99)
    expect(b.months).toEqual(a.months)
    expect(runNodes(prepared, 0, 100).months['gini.all']).not.toEqual(a.months['gini.all'])
  })
})
