import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { collectInputs } from './collectInputs.js'

const root = mkdtempSync(join(tmpdir(), 'btt-collect-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('collectInputs', () => {
  const input = join(root, 'in')
  mkdirSync(join(input, 'sub'), { recursive: true })
  writeFileSync(join(input, 'a.dcm'), 'a')
  writeFileSync(join(input, 'sub', 'b.dcm'), 'b')
  writeFileSync(join(input, '.hidden'), 'x')
  symlinkSync('..', join(input, 'sub', 'up'))
  symlinkSync(join(input, 'a.dcm'), join(input, 'a-again.dcm'))

  test('files once each, relative paths kept, loops not followed twice', () => {
    const { files, failures } = collectInputs([input], { out: join(root, 'out') })
    expect(files.map((f) => f.relative).sort()).toEqual(['a.dcm', join('sub', 'b.dcm')])
    expect(failures).toEqual([])
  })
  test('an output that is, lies in or contains an input is refused', () => {
    for (const out of [input, join(input, 'x'), root])
      expect(() => collectInputs([input], { out })).toThrow(
        expect.objectContaining({ code: 'DEID_OUTPUT_OVERLAPS_INPUT' }),
      )
  })
  test('arguments are checked', () => {
    expect(() => collectInputs([], { out: 'x' })).toThrow(
      expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }),
    )
    expect(() => collectInputs([join(root, 'none')], { out: 'x' })).toThrow(
      expect.objectContaining({ code: 'DEID_INPUT_NOT_FOUND' }),
    )
  })
})
