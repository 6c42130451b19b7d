import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkCliff, checkMilestones, defaultConfigInput } from '@btt/core'
import { afterAll, describe, expect, test } from 'vitest'
import { handScenario } from '../test/fixtures.js'
import { simulate } from './simulate.js'

const root = mkdtempSync(join(tmpdir(), 'btt-simulate-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const small = { ...handScenario, runs: 2 }

describe('simulate', () => {
  test('a simulation runs once: iterating again is SIM_ALREADY_CONSUMED', async () => {
    const sim = simulate(small, { workers: 0 })
    await sim.summary
    expect(() => sim[Symbol.asyncIterator]()).toThrow(
      expect.objectContaining({ code: 'SIM_ALREADY_CONSUMED' }),
    )
  })

  test('stopping the iteration early settles the summary with SIM_STOPPED_EARLY, never a hang', async () => {
    const sim = simulate(small, { workers: 0 })
    for await (const record of sim) if (record.epoch === 3) break
    await expect(sim.summary).rejects.toMatchObject({ code: 'SIM_STOPPED_EARLY' })
  })

  test('the output folder is checked before anything runs or is created', () => {
    const file = join(root, 'file')
    writeFileSync(file, '')
    let progress = 0
    expect(() => simulate(small, { out: file, onProgress: () => progress++ })).toThrow(
      expect.objectContaining({ code: 'SIM_OUTPUT_NOT_WRITABLE' }),
    )
    writeFileSync(join(root, 'report.html'), 'input')
    expect(() => simulate(small, { out: root, inputs: [join(root, 'report.html')] })).toThrow(
      expect.objectContaining({ code: 'SIM_OUTPUT_OVERWRITES_INPUT' }),
    )
    expect(progress).toBe(0)
    expect(readdirSync(root).sort()).toEqual(['file', 'report.html'])
  })

  test('an output that fails while writing rejects the summary with SIM_OUTPUT_NOT_WRITABLE', async () => {
    const sim = simulate(small, { out: '/proc/btt-simulate-out', workers: 0 })
    await expect(sim.summary).rejects.toMatchObject({ code: 'SIM_OUTPUT_NOT_WRITABLE' })
  })

  test("the engine's vesting rules are @btt/core's own (checkMilestones, checkCliff), reported at their path", () => {
    const allocation = structuredClone(defaultConfigInput.allocation) as {
      release: Record<string, unknown> & { kind: string }
    }[]
    const m = allocation.findIndex((e) => e.release.kind === 'milestones')
    const l = allocation.findIndex((e) => e.release.kind === 'linear')
    const milestones = allocation[m]!.release.milestones as { id: string; shareBps: number }[]
    milestones[0]!.shareBps += 1
    allocation[l]!.release.cliffMonths = 1000
    let issues: { path: string; message: string }[] = []
    try {
      simulate({ ...small, engine: { allocation } })
    } catch (error) {
      issues = (error as { details: { issues: typeof issues } }).details.issues
    }
    const release = allocation[l]!.release as unknown as {
      delayMonths: number
      durationMonths: number
    }
    expect(issues).toEqual(
      [
        {
          path: `engine.allocation.${l}.release.cliffMonths`,
          message: checkCliff({
            cliff: 1000,
            delay: release.delayMonths,
            duration: release.durationMonths,
          })[0]!.message,
        },
        {
          path: `engine.allocation.${m}.release.milestones`,
          message: checkMilestones(milestones)[0]!.message,
        },
      ].sort(
        (a, b) =>
          issues.findIndex((i) => i.path === a.path) - issues.findIndex((i) => i.path === b.path),
      ),
    )
  })
})
