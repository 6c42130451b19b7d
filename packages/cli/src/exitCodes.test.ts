import { readFileSync } from 'node:fs'
import { errorKinds } from '@btt/core'
import { expect, test } from 'vitest'
import { exitCodeByKind } from './exitCodes.js'

test('every error kind has an exit code, and the README documents each one', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  for (const kind of errorKinds) {
    const code = exitCodeByKind[kind]
    expect(code, kind).toBeGreaterThanOrEqual(3)
    const row = readme.split('\n').find((line) => line.includes(`\`${kind}\``))
    expect(row, `README row for ${kind}`).toMatch(new RegExp(`^\\| ${code} `))
  }
})
