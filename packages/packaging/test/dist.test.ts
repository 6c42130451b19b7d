import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt } from './ensureBuilt.js'
import {
  jsSubpaths,
  manifest,
  plainEnv,
  publicPackageDirs,
  published,
  root,
  specifier,
} from './published.js'

// Each subpath export of each published package, loaded by plain Node (no `@btt/source`
// condition) with import() and with require(), from the package's own folder (self-reference).
beforeAll(async () => {
  await ensureBuilt()
}, 900_000)

/** Entries that are worker-thread scripts: they load and export nothing. */
const scripts = new Set(['@btt/connectors/deid/worker'])

type Loaded = { esmFile: string; cjsFile: string; esm: string[]; cjs: string[] }

/** Loads every spec both ways in one `node` and reports what each resolved to and exported. */
const script = `
import { createRequire } from 'node:module'
const require = createRequire(process.cwd() + '/package.json')
const out = {}
for (const spec of JSON.parse(process.env.SPECS)) {
  const esm = await import(spec)
  const cjs = require(spec)
  out[spec] = {
    esmFile: import.meta.resolve(spec),
    cjsFile: require.resolve(spec),
    esm: Object.keys(esm).filter((k) => k !== 'default' && k !== 'module.exports').sort(),
    cjs: Object.keys(cjs).filter((k) => k !== '__esModule').sort(),
  }
}
process.stdout.write(JSON.stringify(out))
`

test('every package under packages/ that is not private is checked here', () => {
  expect(publicPackageDirs()).toEqual([...published].sort())
})

describe.each(published)('@btt/%s', (pkg) => {
  const m = manifest(pkg)
  const specs = jsSubpaths(m).map((s) => specifier(m.name, s))

  test(`imports as ESM and as CJS from dist: ${specs.join(', ')}`, () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(root, 'packages', pkg),
      env: plainEnv({ SPECS: JSON.stringify(specs) }),
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    })
    expect(run.status, run.stderr).toBe(0)
    const loaded = JSON.parse(run.stdout) as Record<string, Loaded>
    expect(Object.keys(loaded)).toEqual(specs)
    const dist = `/packages/${pkg}/dist/`
    for (const [spec, l] of Object.entries(loaded)) {
      expect(l.esmFile, spec).toContain(dist)
      expect(l.esmFile, spec).toMatch(/\.js$/)
      expect(l.cjsFile, spec).toContain(dist)
      expect(l.cjsFile, spec).toMatch(/\.cjs$/)
      if (!scripts.has(spec)) expect(l.esm.length, `${spec} exports nothing`).toBeGreaterThan(0)
      // the two builds export the same names
      expect(l.cjs, spec).toEqual(l.esm)
    }
  })
})
