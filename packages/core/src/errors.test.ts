import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { BttError, CoreError, coreErrorCodes, defineErrorCodes, toBttError } from './errors.js'
import { allocate } from './math/allocate.js'

function sources(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sources(path))
    else if (name.endsWith('.ts') && !/\.(test|bench)\.ts$/.test(name))
      out.push({ file: path, text: readFileSync(path, 'utf8') })
  }
  return out
}

/** Source without comments, and without the code table itself (its keys are not uses). */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'`])\/\/.*$/gm, '$1')
    .replace(/export const coreErrorCodes = defineErrorCodes\(\{[\s\S]*?\n\}\)/, '')
}

const files = sources(import.meta.dirname).map(({ file, text }) => ({ file, text: code(text) }))
const used = new Map<string, string[]>()
for (const { file, text } of files)
  for (const [, name] of text.matchAll(/'(CORE_[A-Z0-9_]+)'/g))
    used.set(name!, [...(used.get(name!) ?? []), file])

describe('the code table', () => {
  test('every code the source uses is in coreErrorCodes', () => {
    const unknown = [...used.keys()].filter((name) => !(name in coreErrorCodes))
    expect(unknown).toEqual([])
    expect(used.size).toBeGreaterThan(5)
  })

  test('every code in coreErrorCodes is used by the source', () => {
    expect(Object.keys(coreErrorCodes).filter((name) => !used.has(name))).toEqual([])
  })

  test('a CoreError is always built with a literal code, and nothing else is thrown', () => {
    const offenders: string[] = []
    for (const { file, text } of files) {
      for (const [call] of text.matchAll(/new CoreError\(\s*[^'\s][^,]*,/g))
        offenders.push(`${file}: ${call}`)
      for (const [call] of text.matchAll(/throw new (Error|TypeError|RangeError)\(/g))
        offenders.push(`${file}: ${call}`)
    }
    expect(offenders).toEqual([])
  })

  test('each code has a kind and a description', () => {
    for (const [name, entry] of Object.entries(coreErrorCodes)) {
      expect(name).toMatch(/^CORE_[A-Z0-9_]+$/)
      expect(entry.description.length).toBeGreaterThan(10)
      expect(new CoreError(name as keyof typeof coreErrorCodes, 'x').kind).toBe(entry.kind)
    }
  })

  test('defineErrorCodes refuses a malformed table with a CoreError', () => {
    const bad = [
      null,
      [],
      { lower_case: { kind: 'io', description: 'x' } },
      { X_Y: { kind: 'nope', description: 'x' } },
      { X_Y: { kind: 'io' } },
    ]
    for (const table of bad)
      expect(() => defineErrorCodes(table as never)).toThrow(
        expect.objectContaining({ name: 'CoreError', code: 'CORE_INVALID_ARGUMENT' }),
      )
  })
})

describe('toBttError', () => {
  test('passes BTT errors through', () => {
    const error = new CoreError('CORE_DUPLICATE_VOTE', 'twice')
    expect(toBttError(error)).toBe(error)
  })

  test('wraps a foreign error as CORE_UNKNOWN with the original as cause', () => {
    const foreign = new TypeError('socket closed')
    const wrapped = toBttError(foreign)
    expect(wrapped).toBeInstanceOf(CoreError)
    expect(wrapped.code).toBe('CORE_UNKNOWN')
    expect(wrapped.kind).toBe('internal')
    expect(wrapped.cause).toBe(foreign)
    expect(wrapped.shortMessage).toBe('socket closed')
    expect(wrapped.details).toEqual({ name: 'TypeError' })
    expect(wrapped.walk()).toBe(foreign)
  })

  test('wraps a thrown non-error value with it as cause', () => {
    const wrapped = toBttError('a string')
    expect(wrapped.code).toBe('CORE_UNKNOWN')
    expect(wrapped.cause).toBe('a string')
    expect(wrapped.shortMessage).toMatch(/a string/)
  })

  test('errors from core are CoreErrors with a code, kind, details and JSON form', () => {
    let caught: unknown
    try {
      allocate(1n, [])
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(CoreError)
    expect(caught).toBeInstanceOf(BttError)
    const error = caught as CoreError
    expect(error.code).toBe('CORE_INVALID_WEIGHTS')
    expect(error.kind).toBe('invalid_input')
    expect(error.toJSON()).toEqual({
      code: 'CORE_INVALID_WEIGHTS',
      message: error.shortMessage,
      details: { reason: 'the list of weights is empty' },
    })
  })
})

test("the README's code table is coreErrorCodes", () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8')
  const rows = [...readme.matchAll(/^\| `(CORE_[A-Z0-9_]+)` +\| `([a-z_]+)` +\|/gm)].map(
    ([, name, kind]) => [name, kind],
  )
  expect(rows).toEqual(Object.entries(coreErrorCodes).map(([name, entry]) => [name, entry.kind]))
})

describe('version stamp', () => {
  test('errors carry the version in package.json (pnpm changeset:version keeps them equal)', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    const { version } = await import('./version.js')
    expect(version).toBe(pkg.version)
    expect(new CoreError('CORE_INVALID_ARGUMENT', 'x').version).toBe(`@btt/core@${pkg.version}`)
  })
})
