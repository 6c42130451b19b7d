import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BttError } from '@btt/core'
import { describe, expect, test } from 'vitest'
import { ComputeError, computeErrorCodes, toComputeError } from './errors.js'

const src = import.meta.dirname

/** Library source files of the package (no tests, benches or type declarations). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(path)
    return /\.ts$/.test(e.name) && !/\.(test|bench|d)\.ts$/.test(e.name) ? [path] : []
  })
}

/** Every `'COMPUTE_…'` string literal in the package's source, with where it is. */
function codesUsed(): Map<string, string[]> {
  const used = new Map<string, string[]>()
  for (const file of sourceFiles(src)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/['"`](COMPUTE_[A-Z0-9_]+)['"`]/g)) {
      const list = used.get(match[1]!) ?? []
      list.push(file.slice(src.length + 1))
      used.set(match[1]!, list)
    }
  }
  return used
}

describe('the code table', () => {
  test('every code the source throws is in the table', () => {
    const unknown = [...codesUsed()].filter(([code]) => !(code in computeErrorCodes))
    expect(unknown).toEqual([])
  })

  test('every code in the table is used by the source', () => {
    const used = codesUsed()
    expect(Object.keys(computeErrorCodes).filter((code) => !used.has(code))).toEqual([])
  })

  test('no plain Error, and no error class but ComputeError, is thrown from library code', () => {
    // src/testing (the @btt/compute/testing entry) builds test fixtures; a broken fixture setup
    // (a Debian tool that wrote nothing) is a test failure, not an SDK error with a code
    const library = sourceFiles(src).filter((file) => !file.includes('/testing/'))
    const offenders = library.flatMap((file) =>
      /throw new (?!ComputeError\b)[A-Za-z]*Error\(/.test(readFileSync(file, 'utf8'))
        ? [file.slice(src.length + 1)]
        : [],
    )
    expect(offenders).toEqual([])
  })

  test('the README lists every code with its kind', () => {
    const readme = readFileSync(join(src, '..', 'README.md'), 'utf8')
    for (const [code, { kind }] of Object.entries(computeErrorCodes))
      expect(readme).toMatch(new RegExp(`\\| \`${code}\` +\\| ${kind} +\\|`))
  })
})

describe('ComputeError', () => {
  test('one constructor shape: code, message, cause and details; kind from the table', () => {
    const cause = new Error('inner')
    const error = new ComputeError('COMPUTE_UNREADABLE_DICOM', 'a.dcm: bad', {
      cause,
      details: { file: 'a.dcm' },
    })
    expect(error).toBeInstanceOf(BttError)
    expect(error).toMatchObject({
      name: 'ComputeError',
      code: 'COMPUTE_UNREADABLE_DICOM',
      kind: 'invalid_input',
    })
    expect(error.cause).toBe(cause)
    expect(error.toJSON()).toEqual({
      code: 'COMPUTE_UNREADABLE_DICOM',
      message: 'a.dcm: bad',
      details: { file: 'a.dcm' },
    })
  })

  test('toComputeError keeps BTT errors and wraps anything else with its cause', () => {
    const ours = new ComputeError('COMPUTE_INVALID_ARGUMENT', 'x')
    expect(toComputeError(ours)).toBe(ours)
    const foreign = new TypeError('boom')
    const wrapped = toComputeError(foreign, { file: 'f' })
    expect(wrapped).toMatchObject({
      code: 'COMPUTE_UNEXPECTED',
      kind: 'internal',
      details: { file: 'f' },
    })
    expect(wrapped.cause).toBe(foreign)
    expect(toComputeError('text').message).toBe('Non-error thrown: text')
  })
})
