// De-identification speed: `btt deid` end to end and `deidentify()` in process, against GDCM's
// `gdcmanon -e` (Basic Profile; Debian libgdcm-tools) on the same generated corpus, in one run.
//
//   pnpm exec tsx --conditions=@btt/source packages/connectors/scripts/bench-deid.ts [--runs 3] [--count 521] [--corpus DIR]
//
// The CLI is bundled by tsup (commands stay lazy chunks) and run by node, as `btt` is installed.
// Start-up is each tool on one file; per file is (corpus − one file) / (count − 1).
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { build } from 'tsup'
import { createDeidentifier, deidentify } from '../src/deid/deidentify.js'
import { deidCorpus } from './deidCorpus.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    count: { type: 'string', default: '521' },
    corpus: { type: 'string' },
  },
})
const runs = Number(values.runs)
const count = Number(values.count)
// on tmpfs where there is one: both tools' disk writes would otherwise dominate, and vary
const work = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'btt-bench-deid-'))
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
const best = (k: string, xs: number[]) => (k.endsWith('/s') ? Math.max(...xs) : Math.min(...xs))
const rows: Record<string, number[]> = {}
const add = (k: string, v: number) => {
  rows[k] ??= []
  rows[k].push(v)
}
const bytes = files.map((f) => new Uint8Array(readFileSync(join(corpusDir, f.name))))
const key = new TextEncoder().encode('bench key')
for (const b of bytes) deidentify(b, { key }).bytes // warm-up, not counted
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
    for (const b of chosen) deidentify(b, { key }).bytes // the whole file, joined
    add(`deidentify() ${label} files/s`, chosen.length / ((performance.now() - t0) / 1000))
  }
  // as btt deid runs it: options checked once, the output in parts (Pixel Data not copied)
  const batch = createDeidentifier({ key })
  const t0 = performance.now()
  for (const b of bytes) batch(b).parts
  add('createDeidentifier() parts files/s', bytes.length / ((performance.now() - t0) / 1000))
}
const out = readdirSync(join(work, 'b'), { recursive: true }).filter((n) =>
  String(n).endsWith('.dcm'),
)
const g = readdirSync(join(work, 'g'), { recursive: true }).filter((n) =>
  String(n).endsWith('.dcm'),
)
const perFile = (k: string, pick: (xs: number[]) => number) =>
  (pick(rows[`${k} corpus ms`]!) - pick(rows[`${k} one file ms`]!)) / (count - 1)
const min = (xs: number[]) => Math.min(...xs)
console.log(
  `${count} files (${files.filter((f) => f.implicit).length} implicit VR, ${files.filter((f) => f.private).length} with a private block; ${(bytes.reduce((s, b) => s + b.length, 0) / 2 ** 20).toFixed(0)} MiB) on ${work.startsWith('/dev/shm') ? 'tmpfs' : 'disk'}; ${runs} runs; ${cpus()[0]?.model}, ${cpus().length} cores, Node ${process.version}`,
)
console.log(`outputs: btt ${out.length}, gdcmanon ${g.length}`)
console.log(`${''.padEnd(36)} ${'median'.padStart(8)} ${'best'.padStart(8)}   runs`)
for (const [k, v] of Object.entries(rows)) {
  const d = k.endsWith('/s') ? 0 : 1
  console.log(
    `${k.padEnd(36)} ${median(v).toFixed(d).padStart(8)} ${best(k, v).toFixed(d).padStart(8)}   [${v.map((x) => x.toFixed(0)).join(', ')}]`,
  )
}
for (const [label, pick] of [
  ['median', median],
  ['best', min],
] as const)
  console.log(
    `${label}: per file btt ${perFile('btt', pick).toFixed(2)} ms, gdcmanon ${perFile('gdcmanon', pick).toFixed(2)} ms (≈ ${(1000 / perFile('gdcmanon', pick)).toFixed(0)} files/s)`,
  )
const ratios = rows['btt corpus ms']!.map((b, i) => b / rows['gdcmanon corpus ms']![i]!)
console.log(
  `end to end, btt's time / gdcmanon's in the same run: median ${median(ratios).toFixed(2)} [${ratios.map((r) => r.toFixed(2)).join(', ')}]`,
)
rmSync(work, { recursive: true, force: true })
rmSync(bundle, { recursive: true, force: true })
