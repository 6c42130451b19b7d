import { describe, expect, test } from 'vitest'
import { SimulatorError } from '../errors.js'
import { invalidScenario } from './invalidScenario.js'

describe('invalidScenario', () => {
  test('SIM_INVALID_SCENARIO with the issues as details and one line each in the message', () => {
    const error = invalidScenario('s.yaml', [
      { path: 'runs', message: 'too big' },
      { path: 'tiers.a.uptime', message: 'above 1' },
    ])
    expect(error).toBeInstanceOf(SimulatorError)
    expect(error.code).toBe('SIM_INVALID_SCENARIO')
    expect(error.kind).toBe('invalid_input')
    expect(error.shortMessage).toBe('Invalid scenario s.yaml: 2 problems.')
    expect(error.details?.issues).toHaveLength(2)
    expect(error.message).toContain('✖ above 1\n  → at tiers.a.uptime')
  })
})
