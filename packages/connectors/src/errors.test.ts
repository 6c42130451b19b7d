import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BttError } from '@btt/core'
import { expect, test } from 'vitest'
import { ConnectorsError, connectorsErrorCodes } from './errors.js'

const src = new URL('.', import.meta.url).pathname
const files = (readdirSync(src, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts') && !/\.(test|bench|d)\.ts$/.test(f) && f !== 'errors.ts')
  .map((f) => readFileSync(join(src, f), 'utf8'))
// every string literal shaped like a code of this package's prefixes
const prefixes = [...new Set(Object.keys(connectorsErrorCodes).map((c) => c.split('_')[0]))]
const literal = new RegExp(`'((?:${prefixes.join('|')})_[A-Z0-9_]+)'`, 'g')
const used = new Set(files.flatMap((text) => [...text.matchAll(literal)].map((m) => m[1]!)))

test('every code the source uses is in the table', () => {
  expect(used.size).toBeGreaterThan(0)
  expect([...used].filter((code) => !(code in connectorsErrorCodes))).toEqual([])
})

test('every code in the table is used (the table is closed, with no dead rows)', () => {
  expect(Object.keys(connectorsErrorCodes).filter((code) => !used.has(code))).toEqual([])
})

test('the README lists every code with its kind', () => {
  const readme = readFileSync(join(src, '..', 'README.md'), 'utf8')
  for (const [code, { kind }] of Object.entries(connectorsErrorCodes))
    expect(readme).toMatch(new RegExp(`\\| \`${code}\` +\\| ${kind} +\\|`))
})

test('errors carry code, kind, details and cause, and print as { code, message, details }', () => {
  const cause = new Error('disk full')
  const error = new ConnectorsError('VAULT_UNAVAILABLE', 'cannot open', {
    cause,
    details: { path: '/x' },
  })
  expect(error.kind).toBe('io')
  expect(error.walk()).toBe(cause)
  expect(JSON.parse(JSON.stringify(error))).toEqual({
    code: 'VAULT_UNAVAILABLE',
    message: 'cannot open',
    details: { path: '/x' },
  })
  expect(error).toBeInstanceOf(BttError)
})
