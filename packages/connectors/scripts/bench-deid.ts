// De-identification speed: `btt deid` end to end and `deidentify()` in process, against GDCM's
// `gdcmanon -e` (Basic Profile; Debian libgdcm-tools) on the same generated corpus, in one run.
//
//   pnpm exec tsx --conditions=@btt/source packages/connectors/scripts/bench-deid.ts [--runs 3] [--count 521] [--corpus DIR]
//
// The CLI is bundled by tsup (commands stay lazy chunks) and run by node, as `btt` is installed.
// Start-up is each tool on one file; per file is (corpus − one file) / (count − 1).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { build } from 'tsup'
import { deidentify } from '../src/deid/deidentify.js'
import { deidCorpus } from './deidCorpus.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    count: { type: 'string', default: '521' },
    corpus: { type: 'string' },
  },
})
const runs = Number(values.runs)
const count = Number(values.count)
const work = mkdtempSync(join(tmpdir(), 'btt-bench-deid-'))
const corpusDir = values.corpus ?? join(work, 'corpus')
const here = new URL('.', import.meta.url).pathname

const files = deidCorpus(corpusDir, count)
const one = join(work, 'one')
mkdirSync(one)
execFileSync('cp', [join(corpusDir, files[0]!.name), one])
execFileSync(
  'openssl',
  [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=bench'],
    ...['-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem')],
  ],
  { stdio: 'ignore' },
)
const bundle = join(here, '../node_modules/.cache/bench-deid') // resolves the externals
await build({
  entry: { bin: join(here, '../../cli/src/bin.ts') },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  splitting: true,
  dts: false,
  sourcemap: false,
  outDir: bundle,
  config: false,
  silent: true,
  shims: true,
  noExternal: [/^@btt\//, 'zod'],
  external: [
    'better-sqlite3',
    'onnxruntime-node',
    'onnxruntime-web',
    'webgpu',
    'pg',
    'playwright-core',
  ],
  esbuildOptions(o) {
    o.conditions = ['@btt/source']
  },
})

function wall(cmd: string, args: string[]): number {
  const t0 = performance.now()
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  const ms = performance.now() - t0
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed: ${r.stderr}`)
  return ms
}
const gdcm = (input: string, out: string) => {
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out)
  return wall('gdcmanon', [
    '-e',
    '-c',
    join(work, 'cert.pem'),
    '--continue',
    '-r',
    '-i',
    input,
    '-o',
    out,
  ])
}
const btt = (input: string, out: string) => {
  rmSync(out, { recursive: true, force: true })
  return wall(process.execPath, [join(bundle, 'bin.js'), 'deid', input, '--out', out])
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const rows: Record<string, number[]> = {}
const add = (k: string, v: number) => {
  rows[k] ??= []
  rows[k].push(v)
}
const bytes = files.map((f) => new Uint8Array(readFileSync(join(corpusDir, f.name))))
const key = new TextEncoder().encode('bench key')
for (let r = 0; r < runs; r++) {
  add('gdcmanon one file ms', gdcm(one, join(work, 'g1')))
  add('gdcmanon corpus ms', gdcm(corpusDir, join(work, 'g')))
  add('btt one file ms', btt(one, join(work, 'b1')))
  add('btt corpus ms', btt(corpusDir, join(work, 'b')))
  for (const [label, pick] of [
    ['all', () => true],
    ['implicit VR', (i: number) => files[i]!.implicit],
    ['explicit VR', (i: number) => !files[i]!.implicit],
  ] as const) {
    const chosen = bytes.filter((_, i) => pick(i))
    const t0 = performance.now()
    for (const b of chosen) deidentify(b, { key })
    add(`deidentify() ${label} files/s`, chosen.length / ((performance.now() - t0) / 1000))
  }
}
const out = readdirSync(join(work, 'b'), { recursive: true }).filter((n) =>
  String(n).endsWith('.dcm'),
)
const g = readdirSync(join(work, 'g'), { recursive: true }).filter((n) =>
  String(n).endsWith('.dcm'),
)
const perFile = (k: string) =>
  (median(rows[`${k} corpus ms`]!) - median(rows[`${k} one file ms`]!)) / (count - 1)
console.log(
  `${count} files (${files.filter((f) => f.implicit).length} implicit VR, ${files.filter((f) => f.private).length} with a private block; ${(bytes.reduce((s, b) => s + b.length, 0) / 2 ** 20).toFixed(0)} MiB); ${runs} runs, medians; ${cpus()[0]?.model}, ${cpus().length} cores, Node ${process.version}`,
)
console.log(`outputs: btt ${out.length}, gdcmanon ${g.length}`)
for (const [k, v] of Object.entries(rows))
  console.log(
    `${k.padEnd(36)} ${median(v)
      .toFixed(k.endsWith('/s') ? 0 : 1)
      .padStart(8)}   [${v.map((x) => x.toFixed(0)).join(', ')}]`,
  )
console.log(
  `per file (ms): btt ${perFile('btt').toFixed(2)}, gdcmanon ${perFile('gdcmanon').toFixed(2)}`,
)
console.log(`gdcmanon in process ≈ ${(1000 / perFile('gdcmanon')).toFixed(0)} files/s`)
console.log(
  `end to end: btt ${(median(rows['btt corpus ms']!) / median(rows['gdcmanon corpus ms']!)).toFixed(2)}× gdcmanon's time`,
)
rmSync(work, { recursive: true, force: true })
rmSync(bundle, { recursive: true, force: true })
