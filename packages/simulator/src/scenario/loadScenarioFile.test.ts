import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { presetPath } from '../presets.js'
import { loadScenarioFile } from './loadScenarioFile.js'

const root = mkdtempSync(join(tmpdir(), 'btt-load-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const failure = (path: string) => {
  try {
    loadScenarioFile(path)
  } catch (error) {
    return error as { code: string; details: Record<string, unknown> }
  }
  throw new Error('expected a failure')
}

describe('loadScenarioFile', () => {
  test('merges what a file extends and lists every file read, the scenario first', () => {
    writeFileSync(join(root, 'base.yaml'), 'extends: seed-model\nname: base\nruns: 7\n')
    writeFileSync(join(root, 'top.yaml'), 'extends: ./base.yaml\nname: top\n')
    const { scenario, files } = loadScenarioFile(join(root, 'top.yaml'))
    expect(scenario).toMatchObject({ name: 'top', runs: 7, horizonMonths: 96 })
    expect(files).toEqual([
      join(root, 'top.yaml'),
      join(root, 'base.yaml'),
      presetPath('seed-model'),
    ])
  })

  test('a missing file is SIM_UNREADABLE_SCENARIO; bad YAML, a list or a loop SIM_INVALID_SCENARIO', () => {
    expect(failure(join(root, 'missing.yaml'))).toMatchObject({
      code: 'SIM_UNREADABLE_SCENARIO',
      details: { errno: 'ENOENT' },
    })
    writeFileSync(join(root, 'bad.yaml'), 'a: [1, 2\n')
    expect(failure(join(root, 'bad.yaml')).code).toBe('SIM_INVALID_SCENARIO')
    writeFileSync(join(root, 'list.yaml'), '- 1\n')
    expect(failure(join(root, 'list.yaml')).details.issues).toEqual([
      { path: '(root)', message: 'a scenario must be a mapping' },
    ])
    writeFileSync(join(root, 'loop.yaml'), 'extends: ./loop.yaml\n')
    expect(failure(join(root, 'loop.yaml')).details.issues).toEqual([
      expect.objectContaining({ path: 'extends', message: expect.stringMatching(/extends loops/) }),
    ])
    expect(failure('').code).toBe('SIM_INVALID_ARGUMENT')
  })

  test('a folder is not a scenario', () => {
    expect(failure(root).code).toBe('SIM_UNREADABLE_SCENARIO')
  })
})
