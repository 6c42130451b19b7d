import { describe, expect, test } from 'vitest'
import { handScenario } from '../../test/fixtures.js'
import { parseScenario } from '../scenario/parseScenario.js'
import { createLauncher } from './createLauncher.js'

describe('createLauncher', () => {
  test('on this thread: a run comes back as a result, a run that throws as an error message', async () => {
    const raw = {
      ...handScenario,
      burns: { tokenizationTxPerMonth: 30, txValueTokens: 1e9 },
      engine: { burns: { thresholdValue: '0', rateBps: 10_000 } },
    }
    const ok = createLauncher(0, { raw: handScenario, source: 's', ...parseScenario(handScenario) })
    const good = await ok.launch({ id: 3, variant: 0, run: 1, seed: 4 })
    expect(good.id).toBe(3)
    expect(good.result?.run).toBe(1)
    const bad = createLauncher(0, { raw, source: 's', ...parseScenario(raw) })
    const failed = await bad.launch({ id: 0, variant: 0, run: 0, seed: 1 })
    expect(failed.error).toMatch(/above the supply/)
    await ok.close()
    await bad.close()
  })

  test('in worker threads: the same result as on this thread', async () => {
    const parsed = parseScenario(handScenario)
    const inline = createLauncher(0, { raw: handScenario, source: 's', ...parsed })
    const pooled = createLauncher(1, { raw: handScenario, source: 's', ...parsed })
    try {
      const task = { id: 0, variant: 0, run: 2, seed: 99 }
      const [a, b] = await Promise.all([inline.launch(task), pooled.launch(task)])
      expect(b.result?.months).toEqual(a.result?.months)
    } finally {
      await pooled.close()
    }
  })
})
