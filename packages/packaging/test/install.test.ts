import assert from 'node:assert'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt } from './ensureBuilt.js'
import { packAll } from './packAll.js'
import { manifest, type Published, plainEnv, published } from './published.js'

// The tarballs `pnpm pack` writes (workspace:* rewritten to versions), installed together by npm
// into an empty project, as a user would install them from the registry; third-party
// dependencies come from the npm registry (npm's cache first). Install scripts are not run:
// onnxruntime-node's only downloads CUDA files (its CPU library is in the package) and
// better-sqlite3's compiles for ~100 s; nothing here opens a SQLite file.
const dir = mkdtempSync(join(tmpdir(), 'btt-install-'))
const project = join(dir, 'project')
const env = plainEnv({ ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_update_notifier: 'false' })

beforeAll(async () => {
  await ensureBuilt()
  mkdirSync(join(project, 'tarballs'), { recursive: true })
  const tarballs = packAll(join(project, 'tarballs'))
  const dependencies: Record<string, string> = {}
  const overrides: Record<string, string> = {}
  for (const pkg of published) {
    const name = manifest(pkg).name
    dependencies[name] = `file:${tarballs[pkg]}`
    // each package's @btt/* dependencies are these tarballs, never the registry's
    overrides[name] = `$${name}`
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'smoke', version: '0.0.0', private: true, dependencies, overrides }),
  )
  const npm = spawnSync(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
    { cwd: project, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  )
  assert.equal(npm.status, 0, `npm install failed:\n${npm.stdout}${npm.stderr}`)
}, 900_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('every @btt package in the install came from the packed tarballs', () => {
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string; version?: string }>
  }
  const btt = Object.entries(lock.packages).filter(([path]) => /node_modules\/@btt\//.test(path))
  expect(btt.map(([path]) => path).sort()).toEqual(
    published.map((p) => `node_modules/${manifest(p).name}`).sort(),
  )
  for (const [path, entry] of btt) expect(entry.resolved, path).toMatch(/^file:/)
})

/** One line per package, run on the ESM (`import()`) and the CJS (`require`) build: `m`. */
const smoke: Record<Published, { line: string; expected: unknown }> = {
  core: { line: `String(m.splitRevenue(100n).contributors)`, expected: '70' },
  payfi: { line: `String(m.parseAmount('12.34', 'CNY'))`, expected: '1234' },
  // the presets ship in the package
  simulator: {
    line: `m.loadScenarioFile(m.presetPath('seed-model')).files.map((f) => f.split('/').slice(-5).join('/'))`,
    expected: ['node_modules/@btt/simulator/presets/seed-model.yaml'],
  },
  // the demo model ships in the package and onnxruntime-node loads it
  compute: {
    line: `(await m.loadModel(m.demoModelManifestPath())).sha256.length`,
    expected: 64,
  },
  // the compiled contracts ship in the package
  tokenize: { line: `m.tokenizeArtifact('AssetToken').bytecode.slice(0, 4)`, expected: '0x60' },
  // PS3.15's table ships in the package
  connectors: { line: `m.actionTable().rows.size > 100`, expected: true },
  cli: { line: `typeof m.main`, expected: 'function' },
}

describe.each(published)('@btt/%s', (pkg) => {
  const name = manifest(pkg).name
  test(`installed from its tarball, imports and runs: ${smoke[pkg].line}`, () => {
    const script = `import { createRequire } from 'node:module'
const run = async (m) => (${smoke[pkg].line})
const esm = await run(await import('${name}'))
const cjs = await run(createRequire(process.cwd() + '/')('${name}'))
process.stdout.write(JSON.stringify({ esm, cjs }))`
    const node = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project,
      env,
      encoding: 'utf8',
    })
    expect(node.status, node.stderr).toBe(0)
    const { expected } = smoke[pkg]
    expect(JSON.parse(node.stdout)).toEqual({ esm: expected, cjs: expected })
  })
})

test('the installed btt command runs: btt --help', () => {
  const btt = spawnSync(join(project, 'node_modules/.bin/btt'), ['--help'], {
    cwd: project,
    env,
    encoding: 'utf8',
  })
  expect(btt.status, btt.stderr).toBe(0)
  expect(btt.stdout).toMatch(/btt/)
})
