import { ComputeError, computeErrorCodes, decodeDicom } from '@btt/compute'
import { mulberry32 } from '@btt/compute/testing'
import { deidentify } from '../../src/deid/deidentify.js'
import { reidentify } from '../../src/deid/reidentify.js'
import type { PseudonymVault } from '../../src/deid/vault.js'
import { ConnectorsError, connectorsErrorCodes } from '../../src/errors.js'
import { fuzzSeeds, mutate } from './fuzzCases.js'

// Run as a child process by fuzz-readers.test.ts: `case <n> <reader> <id>` before each case,
// then one `result <json>` line: { cases, problems, outcomes } (outcomes: count per reader and code).

const [seedArg, perSeedArg, deadlineArg] = process.argv.slice(2)
const random = mulberry32(Number(seedArg))
const perSeed = Number(perSeedArg)
const deadlineMs = Number(deadlineArg)
const key = new TextEncoder().encode('fuzz key')
const vault: PseudonymVault = {
  key,
  record() {},
  original: (p) => (p.startsWith('BTT-') ? { kind: 'patient-id', original: 'X' } : undefined),
  size: () => 0,
  close() {},
}
const problems: string[] = []
const outcomes: Record<string, number> = {}
let cases = 0
for (const seed of await fuzzSeeds())
  for (let i = 0; i < perSeed; i++) {
    const { bytes, what } = mutate(seed, random)
    const id = `${seed.name} #${i} (${what})`
    const readers = [
      [
        'decodeDicom',
        // the dataset (dcmjs's naturalize) is read on first use: read it too
        async () => (await decodeDicom(bytes, id)).dataset,
        ComputeError,
        computeErrorCodes,
      ],
      [
        'deidentify',
        () => deidentify(bytes, { key, file: id }),
        ConnectorsError,
        connectorsErrorCodes,
      ],
      [
        'reidentify',
        () => reidentify(bytes, { vault, file: id }),
        ConnectorsError,
        connectorsErrorCodes,
      ],
    ] as const
    for (const [reader, run, ErrorClass, table] of readers) {
      process.stdout.write(`case ${cases++} ${reader} ${id}\n`)
      const started = performance.now()
      let error: unknown
      try {
        await run()
      } catch (e) {
        error = e ?? 'undefined'
      }
      const took = performance.now() - started
      if (took > deadlineMs) problems.push(`${reader} ${id}: took ${Math.round(took)} ms`)
      const e = error as { code?: string; name?: string; message?: string } | undefined
      const code = error === undefined ? 'ok' : String(e?.code)
      outcomes[`${reader} ${code}`] = (outcomes[`${reader} ${code}`] ?? 0) + 1
      if (error !== undefined && !(error instanceof ErrorClass && e?.code && e.code in table))
        problems.push(
          `${reader} ${id}: ${e?.name ?? typeof e}: ${e?.message ?? String(e)}`.slice(0, 300),
        )
    }
  }
process.stdout.write(`result ${JSON.stringify({ cases, problems, outcomes })}\n`)
