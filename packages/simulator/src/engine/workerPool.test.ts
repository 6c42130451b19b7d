import { describe, expect, test } from 'vitest'
import { handScenario } from '../../test/fixtures.js'
import { WorkerPool } from './workerPool.js'

describe('WorkerPool', () => {
  test('runs tasks in threads; a run that throws comes back as an error, the pool carries on', async () => {
    const raw = {
      ...handScenario,
      burns: { tokenizationTxPerMonth: 30, txValueTokens: { uniform: [0, 200_000] } },
      engine: { burns: { thresholdValue: '0', rateBps: 10_000 } },
    }
    const pool = new WorkerPool(1, { raw, source: 's' })
    try {
      const outcomes = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((seed) => pool.run({ id: seed, variant: 0, run: 0, seed })),
      )
      expect(outcomes.some((o) => o.error?.match(/above the supply/))).toBe(true)
      expect(outcomes.some((o) => o.result)).toBe(true)
    } finally {
      await pool.close()
    }
  })

  test('workers that die on start break the pool with SIM_WORKER_FAILED instead of respawning forever', async () => {
    const pool = new WorkerPool(2, { raw: { not: 'a scenario' }, source: 'bad' })
    try {
      const outcome = pool.run({ id: 0, variant: 0, run: 0, seed: 1 })
      await expect(outcome).rejects.toMatchObject({ code: 'SIM_WORKER_FAILED' })
      await expect(pool.run({ id: 1, variant: 0, run: 0, seed: 1 })).rejects.toMatchObject({
        code: 'SIM_WORKER_FAILED',
      })
    } finally {
      await pool.close()
    }
  })
})
