import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { errorKinds } from '@btt/core'
import { expect, test } from 'vitest'
import { httpStatusByKind, httpStatusOf, PayfiError, payfiErrorCodes } from './errors.js'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.ts$/.test(name) && !/\.(test|bench)\.ts$/.test(name) && name !== 'errors.ts'
      ? [path]
      : []
  })
}

// PayfiError is also thrown by the CLI commands built on this package (btt chain, btt payfi).
const cliCommands = join(import.meta.dirname, '../../cli/src/commands')
const cliFiles = sources(cliCommands).filter((f) => readFileSync(f, 'utf8').includes('@btt/payfi'))

const used = new Set(
  [...sources(import.meta.dirname), ...cliFiles].flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/'(PAYFI_[A-Z0-9_]+)'/g)].map((m) => m[1]!),
  ),
)

test('every code the source throws is in the table', () => {
  const unknown = [...used].filter((code) => !(code in payfiErrorCodes))
  expect(unknown).toEqual([])
})

test('every code in the table is used by the source', () => {
  const unused = Object.keys(payfiErrorCodes).filter((code) => !used.has(code))
  expect(unused).toEqual([])
})

test('every kind maps to an HTTP status, in one place', () => {
  for (const kind of errorKinds) expect(httpStatusOf(kind)).toBeGreaterThanOrEqual(400)
  expect(Object.keys(httpStatusByKind).sort()).toEqual([...errorKinds].sort())
})

test('PayfiError carries code, kind and JSON', () => {
  const e = new PayfiError('PAYFI_IDEMPOTENCY_CONFLICT', 'reused', { details: { key: 'k' } })
  expect(e.kind).toBe('conflict')
  expect(httpStatusOf(e.kind)).toBe(409)
  expect(e.toJSON()).toEqual({
    code: 'PAYFI_IDEMPOTENCY_CONFLICT',
    message: 'reused',
    details: { key: 'k' },
  })
})
