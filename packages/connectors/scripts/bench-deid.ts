// De-identification speed: `btt deid` end to end, its start-up, and de-identification in process,
// against GDCM's `gdcmanon -e` (Basic Profile; Debian libgdcm-tools) on the same generated corpus,
// side by side in one run (rounds interleave the tools):
//
//   pnpm exec tsx --conditions=@btt/source packages/connectors/scripts/bench-deid.ts [--runs 5] [--count 521] [--corpus DIR] [--chrt]
//
// `btt` is the built CLI (`node packages/cli/dist/bin.js`, what the package's bin runs); the
// script builds @btt/connectors and @btt/cli first when their dist is older than their sources.
// Per file is (corpus − one file) / (count − 1). Each round checks what each tool wrote (every
// file, and btt's own count line) and stops the bench if one fell short.
import { execFileSync, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createDeidentifier, deidentify } from '../src/deid/deidentify.js'
import { collectInputs } from '../src/deid/files/collectInputs.js'
import { deidentifyFiles } from '../src/deid/files/deidentifyFiles.js'
import { defaultWorkers } from '../src/deid/files/workerPool.js'
import { openVault } from '../src/deid/vault.js'
import { deidCorpus } from './deidCorpus.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    count: { type: 'string', default: '521' },
    corpus: { type: 'string' },
    // each timed command under SCHED_FIFO (chrt -f 10; needs root): on a machine shared with
    // other work, close to what a quiet machine gives; the in-process rows are not affected
    chrt: { type: 'boolean', default: false },
  },
})
const runs = Number(values.runs)
const count = Number(values.count)
const repo = new URL('../../../', import.meta.url).pathname
const bin = join(repo, 'packages/cli/dist/bin.js')
buildIfStale()
// on tmpfs where there is one: both tools' disk writes would otherwise dominate, and vary
const work = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'btt-bench-deid-'))
const corpusDir = values.corpus ?? join(work, 'corpus')
const files = deidCorpus(corpusDir, count)
const one = join(work, files[0]!.name)
execFileSync('cp', [join(corpusDir, files[0]!.name), one])
const cert = join(work, 'cert.pem')
execFileSync(
  'openssl',
  [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=bench'],
    ...['-keyout', join(work, 'key.pem'), '-out', cert],
  ],
  { stdio: 'ignore' },
)

/** Newest modification time under `dir` (files only), in ms. */
function newest(dir: string): number {
  let t = 0
  for (const name of readdirSync(dir, { recursive: true }))
    t = Math.max(t, statSync(join(dir, String(name))).mtimeMs)
  return t
}
function buildIfStale() {
  const built = join(repo, 'packages/connectors/dist/deid/worker.js')
  const sources = Math.max(
    newest(join(repo, 'packages/connectors/src')),
    newest(join(repo, 'packages/cli/src')),
  )
  if (
    existsSync(bin) &&
    existsSync(built) &&
    Math.min(statSync(bin).mtimeMs, statSync(built).mtimeMs) > sources
  )
    return
  console.log('building @btt/connectors and @btt/cli (their dist is older than their sources)…')
  execFileSync('pnpm', ['--filter', '@btt/connectors', '--filter', '@btt/cli', 'build'], {
    cwd: repo,
    stdio: 'ignore',
  })
}

let lastStdout = ''
function wall(cmd: string, args: string[]): number {
  if (values.chrt) [cmd, args] = ['chrt', ['-f', '10', cmd, ...args]]
  const t0 = performance.now()
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  lastStdout = r.stdout
  return ms
}
/** Every round's output is checked, not only the last: a run that stopped early is not a figure. */
function outputsOf(out: string, expected: number, tool: string) {
  const n = readdirSync(out, { recursive: true }).filter((f) => String(f).endsWith('.dcm')).length
  const told = tool === 'btt' ? new RegExp(`^${expected} de-identified, 0 failed`, 'm') : /(?:)/
  if (n !== expected || !told.test(lastStdout))
    throw new Error(
      `${tool} wrote ${n} of ${expected} files into ${out}: ${lastStdout.slice(-300)}`,
    )
}
const fresh = (out: string, make = false) => {
  rmSync(out, { recursive: true, force: true })
  rmSync(`${out}.vault.sqlite`, { force: true })
  if (make) mkdirSync(out)
  return out
}
// a folder is done recursively; one file is given as a file (for btt: no worker is started)
const gdcm = (input: string, out: string) => {
  const one = input.endsWith('.dcm')
  const ms = one
    ? wall('gdcmanon', ['-e', '-c', cert, '-i', input, '-o', join(fresh(out, true), 'x.dcm')])
    : wall('gdcmanon', ['-e', '-c', cert, '--continue', '-r', '-i', input, '-o', fresh(out, true)])
  outputsOf(out, one ? 1 : count, 'gdcmanon')
  return ms
}
const btt = (input: string, out: string, ...flags: string[]) => {
  const ms = wall(process.execPath, [bin, 'deid', input, '--out', fresh(out), ...flags])
  outputsOf(out, input.endsWith('.dcm') ? 1 : count, 'btt')
  return ms
}

const rows: Record<string, number[]> = {}
const add = (k: string, v: number) => {
  rows[k] ??= []
  rows[k].push(v)
}
const bytes = files.map((f) => new Uint8Array(readFileSync(join(corpusDir, f.name))))
const key = new TextEncoder().encode('bench key')
for (const b of bytes) deidentify(b, { key }).bytes // warm-up, not counted
const allCores = `btt deid corpus --workers ${availableParallelism() - 1} ms`
const load = [loadavg()[0]!]
const workersByDefault = [defaultWorkers()]
for (let r = 0; r < runs; r++) {
  add('node -e 0 (floor) ms', wall(process.execPath, ['-e', '0']))
  add('btt --help ms', wall(process.execPath, [bin, '--help']))
  add('btt deid --help ms', wall(process.execPath, [bin, 'deid', '--help']))
  add('gdcmanon one file ms', gdcm(one, join(work, 'g1')))
  add('btt deid one file ms', btt(one, join(work, 'b1')))
  add('gdcmanon corpus ms', gdcm(corpusDir, join(work, 'g')))
  add('btt deid corpus ms', btt(corpusDir, join(work, 'b')))
  add('btt deid corpus --workers 0 ms', btt(corpusDir, join(work, 'b0'), '--workers', '0'))
  // what the default gives where the cores are idle (it takes none once the load average
  // reaches the core count)
  add(allCores, btt(corpusDir, join(work, 'bn'), '--workers', String(availableParallelism() - 1)))
  await inProcess()
}
load.push(loadavg()[0]!)
workersByDefault.push(defaultWorkers())

/** In process: de-identification alone, and files read, de-identified and written. */
async function inProcess() {
  for (const [label, pick] of [
    ['all', () => true],
    ['implicit VR', (i: number) => files[i]!.implicit],
  ] as const) {
    const chosen = bytes.filter((_, i) => pick(i))
    const t0 = performance.now()
    for (const b of chosen) deidentify(b, { key }).bytes // the whole file, joined
    add(`deidentify() ${label} files/s`, chosen.length / ((performance.now() - t0) / 1000))
  }
  const batch = createDeidentifier({ key }) // as btt deid runs it: output in parts
  const t0 = performance.now()
  for (const b of bytes) batch(b).parts
  add('createDeidentifier() parts files/s', bytes.length / ((performance.now() - t0) / 1000))
  for (const workers of [0, undefined]) {
    const out = fresh(join(work, 'p'))
    const { files: inputs } = collectInputs([corpusDir], { out })
    const vault = openVault(`${out}.vault.sqlite`)
    const t1 = performance.now()
    await deidentifyFiles(inputs, { out, vault, workers })
    vault.close()
    const label = workers === 0 ? 'deidentifyFiles() 1 thread' : 'deidentifyFiles() default'
    add(`${label} files/s`, inputs.length / ((performance.now() - t1) / 1000))
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const best = (k: string, xs: number[]) => (k.endsWith('/s') ? Math.max(...xs) : Math.min(...xs))
const outputs = (d: string) =>
  readdirSync(join(work, d), { recursive: true }).filter((n) => String(n).endsWith('.dcm')).length
console.log(
  `${count} files (${files.filter((f) => f.implicit).length} implicit VR, ${files.filter((f) => f.private).length} with a private block; ${(bytes.reduce((s, b) => s + b.length, 0) / 2 ** 20).toFixed(0)} MiB) on ${work.startsWith('/dev/shm') ? 'tmpfs' : 'disk'}; ${runs} runs${values.chrt ? ' (commands under chrt -f 10)' : ''}; ${cpus()[0]?.model}, ${availableParallelism()} cores, Node ${process.version}; load average ${load.map((l) => l.toFixed(1)).join(' → ')}; default workers (btt deid, deidentifyFiles) ${workersByDefault.join(' → ')}`,
)
console.log(
  `outputs: btt ${outputs('b')}, btt --workers 0 ${outputs('b0')}, gdcmanon ${outputs('g')}`,
)
console.log(`${''.padEnd(38)} ${'median'.padStart(8)} ${'best'.padStart(8)}   runs`)
for (const [k, v] of Object.entries(rows)) {
  const d = k.endsWith('/s') ? 0 : 1
  console.log(
    `${k.padEnd(38)} ${median(v).toFixed(d).padStart(8)} ${best(k, v).toFixed(d).padStart(8)}   [${v.map((x) => x.toFixed(0)).join(', ')}]`,
  )
}
const perFile = (k: string) =>
  (median(rows[`${k} corpus ms`]!) - median(rows[`${k} one file ms`]!)) / (count - 1)
console.log(
  `per file (medians): btt deid ${perFile('btt deid').toFixed(2)} ms, gdcmanon ${perFile('gdcmanon').toFixed(2)} ms (≈ ${(1000 / perFile('gdcmanon')).toFixed(0)} files/s)`,
)
for (const k of ['btt deid corpus ms', 'btt deid corpus --workers 0 ms', allCores]) {
  const ratios = rows[k]!.map((b, i) => b / rows['gdcmanon corpus ms']![i]!)
  console.log(
    `${k.replace(' ms', '')} / gdcmanon corpus, paired by round: median ${median(ratios).toFixed(2)} [${ratios.map((r) => r.toFixed(2)).join(', ')}]`,
  )
}
rmSync(work, { recursive: true, force: true })
