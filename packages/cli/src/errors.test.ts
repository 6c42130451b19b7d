import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { CliError, cliErrorCodes } from './errors.js'
import { makeFolder } from './outputFolder.js'
import { readInputFile } from './readInputFile.js'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.ts$/.test(name) && !/\.(test|bench)\.ts$/.test(name) && name !== 'errors.ts'
      ? [path]
      : []
  })
}

const used = new Set(
  sources(import.meta.dirname).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/'(CLI_[A-Z0-9_]+)'/g)].map((m) => m[1]!),
  ),
)

test('every CLI_ code the source throws is in the table (CLI_USAGE is the structural UsageError)', () => {
  const unknown = [...used].filter((code) => code !== 'CLI_USAGE' && !(code in cliErrorCodes))
  expect(unknown).toEqual([])
})

test('every code in the table is used by the source and listed in the README', () => {
  const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8')
  for (const code of Object.keys(cliErrorCodes)) {
    expect(used.has(code), code).toBe(true)
    expect(readme, code).toContain(`\`${code}\``)
  }
})

test('the helpers throw coded errors: a folder read as a file, a file where a folder goes', () => {
  const dir = import.meta.dirname
  expect(() => readInputFile(dir)).toThrow(CliError)
  expect(() => readInputFile(dir)).toThrow(expect.objectContaining({ code: 'CLI_INPUT_FILE' }))
  expect(() => readInputFile('/dev/zero')).toThrow(
    expect.objectContaining({ code: 'CLI_INPUT_FILE', kind: 'invalid_input' }),
  )
  expect(() => makeFolder(join(dir, 'errors.ts'))).toThrow(
    expect.objectContaining({ code: 'CLI_OUTPUT_FOLDER', kind: 'io' }),
  )
})
