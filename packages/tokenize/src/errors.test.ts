import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { TokenizeError, tokenizeErrorCodes } from './errors.js'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.ts$/.test(name) && !/\.(test|bench)\.ts$/.test(name) && name !== 'errors.ts'
      ? [path]
      : []
  })
}

// TokenizeError is also thrown by `btt tokenize` (packages/cli/src/commands/tokenize*.ts).
const cliDir = join(import.meta.dirname, '../../cli/src/commands')
const cli = (statSync(cliDir, { throwIfNoEntry: false }) ? readdirSync(cliDir) : [])
  .filter((name) => /^tokenize.*\.ts$/.test(name))
  .map((name) => join(cliDir, name))
const files = [...sources(import.meta.dirname), ...cli]
const used = new Set(
  files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/'(TOKENIZE_[A-Z0-9_]+)'/g)].map((m) => m[1]!),
  ),
)

test('every code the source throws is in the table', () => {
  expect(cli.length).toBeGreaterThan(0)
  expect([...used].filter((code) => !(code in tokenizeErrorCodes))).toEqual([])
})

test('every code in the table is used by the source', () => {
  expect(Object.keys(tokenizeErrorCodes).filter((code) => !used.has(code))).toEqual([])
})

test('TokenizeError carries code, kind and JSON', () => {
  const e = new TokenizeError('TOKENIZE_TRANSFER_RESTRICTED', 'frozen', { details: { code: 2 } })
  expect(e.kind).toBe('forbidden')
  expect(e.name).toBe('TokenizeError')
  expect(e.toJSON()).toEqual({
    code: 'TOKENIZE_TRANSFER_RESTRICTED',
    message: 'frozen',
    details: { code: 2 },
  })
})
