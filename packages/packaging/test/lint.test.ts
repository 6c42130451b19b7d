import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt } from './ensureBuilt.js'
import { packAll } from './packAll.js'
import { type Published, published, root } from './published.js'

// publint and @arethetypeswrong/cli on the tarballs `pnpm pack` writes: what npm would publish.
let dir = ''
let tarballs = {} as Record<Published, string>

beforeAll(async () => {
  await ensureBuilt()
  dir = mkdtempSync(join(tmpdir(), 'btt-lint-'))
  tarballs = packAll(dir)
}, 900_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

type AttwProblem = { kind: string; entrypoint?: string; resolutionKind?: string }

/**
 * attw on a tarball with the default (strict) profile; the problems it reports, less those of
 * the kinds in `ignore` (its JSON output lists every problem, `--ignore-rules` or not).
 */
function attw(tarball: string, args: string[] = [], ignore: string[] = []): AttwProblem[] {
  const run = spawnSync(
    join(root, 'node_modules/.bin/attw'),
    [tarball, '--format', 'json', ...args],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  )
  expect(run.stdout, run.stderr).toMatch(/^\{/)
  const report = JSON.parse(run.stdout) as { problems?: Record<string, AttwProblem[]> }
  return Object.values(report.problems ?? {})
    .flat()
    .filter((p) => !ignore.includes(p.kind))
}

describe.each(published)('@btt/%s', (pkg) => {
  test('publint (strict) finds nothing, suggestions included', async () => {
    const bytes = readFileSync(tarballs[pkg])
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    const { messages, pkg: json } = await publint({ pack: { tarball }, strict: true })
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, json)}`)).toEqual([])
  })

  test('@arethetypeswrong/cli (strict profile: node10, node16 CJS and ESM, bundler) finds nothing', () => {
    // compute's `./dicom-types` is a types-only entry of ambient declarations (`declare module
    // 'dcmjs'`), used as `/// <reference types="@btt/compute/dicom-types" />`: it is never
    // imported, so its module format does not matter. attw calls a `.d.ts` in a "type": "module"
    // package ESM and reports CJSResolvesToESM for node16-from-CJS; that rule is wrong for a
    // file of ambient declarations. It is checked on its own below, with that one rule ignored.
    const exclude = pkg === 'compute' ? ['--exclude-entrypoints', 'dicom-types'] : []
    expect(attw(tarballs[pkg], exclude)).toEqual([])
  })
})

test('@btt/compute/dicom-types resolves everywhere (attw, CJSResolvesToESM ignored: see above)', () => {
  const all = attw(tarballs.compute, ['--entrypoints', 'dicom-types'])
  expect(all.map((p) => `${p.kind} ${p.resolutionKind}`)).toEqual(['CJSResolvesToESM node16-cjs'])
  expect(attw(tarballs.compute, ['--entrypoints', 'dicom-types'], ['CJSResolvesToESM'])).toEqual([])
})
