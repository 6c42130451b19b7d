import { describe, expect, test } from 'vitest'
import { SimulatorError } from '../errors.js'
import { parseScenario } from './parseScenario.js'
import { readScenarioFile } from './readScenarioFile.js'

// biome-ignore lint/suspicious/noExplicitAny: the test edits a raw scenario by path
type Raw = Record<string, any>
const seed = readScenarioFile('seed-model') as Raw

/** seed-model with some of home's fields replaced; returns every issue's path and message. */
function issues(change: (s: Raw) => void): { path: string; message: string }[] {
  const s = structuredClone(seed)
  change(s)
  try {
    parseScenario(s)
  } catch (error) {
    expect(error).toBeInstanceOf(SimulatorError)
    expect((error as SimulatorError).code).toBe('SIM_INVALID_SCENARIO')
    return (error as SimulatorError).details!.issues as { path: string; message: string }[]
  }
  return []
}

describe('per-node distributions and behaviour: impossible input is refused before any run', () => {
  test('seed-model itself is valid', () => {
    expect(issues(() => {})).toEqual([])
  })

  test('every problem at once, each by its path', () => {
    const found = issues((s) => {
      const n = s.tiers.home.nodes
      n.availability = { uniform: [-0.1, 0.9] } // negative uptime
      n.uptimeWhenUp = 1.2 // a probability above 1
      n.gpuModels[0].wattsPerGpu = 0 // zero power draw
      s.tiers.mid.nodes.sellShare = { normal: [1.5, 0.1] }
      s.tiers.mid.behaviour.exit.probability = 0 // never triggers
      s.tiers.institution.behaviour.join.nodesPerMonth = 0 // never adds a node
    }).map((i) => i.path)
    for (const path of [
      'tiers.home.nodes.availability',
      'tiers.home.nodes.uptimeWhenUp',
      'tiers.home.nodes.gpuModels.0.wattsPerGpu',
      'tiers.mid.nodes.sellShare',
      'tiers.mid.behaviour.exit.probability',
      'tiers.institution.behaviour.join.nodesPerMonth',
    ])
      expect(found.some((p) => p.startsWith(path))).toBe(true)
  })

  test('thresholds that cannot trigger within the horizon', () => {
    const found = issues((s) => {
      s.horizonMonths = 6
      s.claims = []
      s.tiers.home.behaviour.exit.lossMonths = 6
      s.tiers.mid.behaviour.join.lookbackMonths = 9
    })
    expect(found).toEqual([
      {
        path: 'tiers.home.behaviour.exit.lossMonths',
        message: expect.stringMatching(/^never triggers/),
      },
      {
        path: 'tiers.mid.behaviour.join.lookbackMonths',
        message: expect.stringMatching(/^never triggers/),
      },
    ])
  })

  test('outages shorter than an epoch, and availability the outage process cannot reach', () => {
    const found = issues((s) => {
      s.epochDays = 7
      s.tiers.home.nodes.meanOutageDays = { uniform: [2, 10] }
      s.tiers.mid.nodes.availability = 0.2
      s.tiers.mid.nodes.meanOutageDays = 7
      s.tiers.institution.nodes.meanOutageDays = 7
    })
    expect(found.map((i) => i.path)).toEqual([
      'tiers.home.nodes.meanOutageDays',
      'tiers.mid.nodes.availability',
    ])
  })

  test('a population too large for memory at the horizon is refused with the estimate', () => {
    const found = issues((s) => {
      s.tiers.home.joinsPerMonth = 20_000
    })
    expect(found).toHaveLength(1)
    expect(found[0]!.path).toBe('tiers')
    expect(found[0]!.message).toMatch(
      /^too large for memory: up to 1,9\d\d,\d{3} nodes by the horizon need about \d+ MiB per run/,
    )
  })

  test('behaviour on the cohort engine is refused (it could never act)', () => {
    const found = issues((s) => {
      s.population = 'cohorts'
    })
    expect(found.map((i) => i.path)).toEqual([
      'tiers.home.behaviour',
      'tiers.mid.behaviour',
      'tiers.institution.behaviour',
    ])
  })
})

test('the engine cannot be swept (every variant writes the same columns)', () => {
  const found = issues((s) => {
    s.sweep = { mode: 'zip', parameters: { population: ['nodes', 'cohorts'] } }
  })
  expect(found.map((i) => i.path)).toContain('sweep.parameters')
})
