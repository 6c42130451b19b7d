import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { BttError } from '@btt/core'
import { describe, expect, test } from 'vitest'
import { SimulatorError, simulatorErrorCodes } from './errors.js'

const here = import.meta.dirname
/** Library sources: every .ts / .mjs under src except tests and benches. */
const sources = (readdirSync(here, { recursive: true }) as string[])
  .filter((f) => /\.(ts|mjs)$/.test(f) && !/\.(test|bench)\.ts$/.test(f))
  .map((f) => ({ file: f, text: readFileSync(join(here, f), 'utf8') }))

describe('the code table', () => {
  test('every SIM_ code the sources use is in the table, and every table code is used', () => {
    const used = new Map<string, string[]>()
    for (const { file, text } of sources) {
      if (file === 'errors.ts') continue // the table itself
      for (const [, code] of text.matchAll(/['"`](SIM_[A-Z0-9_]+)['"`]/g))
        used.set(code!, [...(used.get(code!) ?? []), file])
    }
    const table = Object.keys(simulatorErrorCodes)
    const unknown = [...used.keys()].filter((c) => !table.includes(c))
    expect(unknown, `codes used but not in the table: ${unknown.join(', ')}`).toEqual([])
    const unused = table.filter((c) => !used.has(c))
    expect(unused, `table codes never used: ${unused.join(', ')}`).toEqual([])
  })

  test('the README lists every code with its kind', () => {
    const readme = readFileSync(join(here, '../README.md'), 'utf8')
    for (const [code, { kind }] of Object.entries(simulatorErrorCodes))
      expect(readme, code).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${kind}\\s*\\|`))
  })

  test('library code throws no plain Error, TypeError or RangeError', () => {
    const plain = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/throw new (Error|TypeError|RangeError)\(/g)].map(
        (m) => `${relative(here, join(here, file))}: ${m[0]}`,
      ),
    )
    expect(plain).toEqual([])
  })

  test('a SimulatorError is a BttError with the kind from the table and { code, message, details } as JSON', () => {
    const error = new SimulatorError('SIM_OUTPUT_NOT_WRITABLE', 'Cannot write to x.', {
      details: { out: 'x' },
    })
    expect(error).toBeInstanceOf(BttError)
    expect(error.name).toBe('SimulatorError')
    expect(error.kind).toBe('io')
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'SIM_OUTPUT_NOT_WRITABLE',
      message: 'Cannot write to x.',
      details: { out: 'x' },
    })
  })
})
