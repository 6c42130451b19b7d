// Why `btt deid` and `deidentifyFiles` start worker threads the way they do, side by side in one
// run, each case in a fresh process (cold, as a command runs), on the bench corpus of bench-deid.ts:
//
//   pnpm exec tsx --conditions=@btt/source packages/connectors/scripts/bench-deid-threads.ts [--runs 5]
//
// 1. The built library's deidentifyFiles, the whole corpus, on the calling thread alone and with
//    one worker, under V8's defaults, with TurboFan's compiling on the JavaScript thread
//    (--no-concurrent-recompilation: what the optimising compiler costs each thread), and with
//    V8's optimisation delayed (--interrupt-budget ×10, what `btt deid` sets with workers).
// 2. deidentifyFiles' default (worker or not) against its alternative, on 521 and on 2,084 files.
// 3. The built `btt deid --workers 0` and `--workers 1` while two busy loops hold both cores.
// Needs the packages built (pnpm --filter @btt/connectors --filter @btt/cli build).
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { deidCorpus } from './deidCorpus.js'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } })
const runs = Number(values.runs)
const repo = new URL('../../../', import.meta.url).pathname
const lib = join(repo, 'packages/connectors/dist/deid/index.js')
const bin = join(repo, 'packages/cli/dist/bin.js')
for (const f of [lib, bin]) if (!existsSync(f)) throw new Error(`${f} is missing: build first`)
const work = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'btt-threads-'))
const corpus = join(work, 'corpus')
deidCorpus(corpus, 521)
const big = join(work, 'big') // the corpus four times, as separate files (2,084)
for (const k of ['a', 'b', 'c', 'd']) cpSync(corpus, join(big, k), { recursive: true })

// one child: deidentifyFiles over `input` with `workers`, prints its ms (listing and vault included)
const child = join(work, 'child.mjs')
writeFileSync(
  child,
  `import { collectInputs, deidentifyFiles, openVault } from ${JSON.stringify(lib)}
const [input, out, w] = process.argv.slice(2)
const t0 = performance.now()
const { files } = collectInputs([input], { out })
const vault = openVault(out + '.vault.sqlite')
const r = await deidentifyFiles(files, { out, vault, workers: w === 'default' ? undefined : Number(w) })
vault.close()
if (r.done !== files.length) throw new Error('only ' + r.done + ' of ' + files.length)
console.log(performance.now() - t0)`,
)
const fresh = (out: string) => {
  rmSync(out, { recursive: true, force: true })
  rmSync(`${out}.vault.sqlite`, { force: true })
  return out
}
function library(flags: string[], input: string, workers: string): number {
  const r = spawnSync(process.execPath, [...flags, child, input, fresh(join(work, 'o')), workers], {
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(r.stderr)
  return Number(r.stdout)
}
function cli(workers: string): number {
  const out = fresh(join(work, 'c'))
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [bin, 'deid', corpus, '--out', out, '--workers', workers], {
    encoding: 'utf8',
  })
  const ms = performance.now() - t0
  if (r.status !== 0 || !/^521 de-identified, 0 failed/m.test(r.stdout)) throw new Error(r.stderr)
  return ms
}

const rows: Record<string, number[]> = {}
const add = (k: string, v: number) => {
  rows[k] ??= []
  rows[k].push(v)
}
const v8 = {
  'V8 defaults': [],
  'TurboFan on the JS thread': ['--no-concurrent-recompilation'],
  'optimisation delayed (btt deid)': ['--interrupt-budget=675840'],
}
for (let r = 0; r < runs; r++) {
  for (const [name, flags] of Object.entries(v8))
    for (const w of ['0', '1'])
      add(`1. 521 files, ${name}, workers ${w}`, library(flags, corpus, w))
  for (const [input, n] of [
    [corpus, 521],
    [big, 2084],
  ] as const)
    for (const w of ['0', '1', 'default'])
      add(`2. ${n} files, deidentifyFiles workers ${w}`, library([], input, w))
}
// 3: two busy loops on every core while btt deid runs
const busy = Array.from({ length: availableParallelism() }, () =>
  spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }),
)
try {
  await new Promise((resolve) => setTimeout(resolve, 300))
  for (let r = 0; r < runs; r++)
    for (const w of ['0', '1']) add(`3. btt deid 521 files, cores busy, --workers ${w}`, cli(w))
} finally {
  for (const b of busy) b.kill('SIGKILL')
}
rmSync(work, { recursive: true, force: true })

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log(
  `${cpus()[0]?.model}, ${availableParallelism()} cores, Node ${process.version}; ${runs} runs; ms, each case a fresh process`,
)
for (const [k, v] of Object.entries(rows))
  console.log(
    `${k.padEnd(62)} median ${median(v).toFixed(0).padStart(5)}  [${v.map((x) => x.toFixed(0)).join(', ')}]`,
  )
