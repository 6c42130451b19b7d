import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterAll, describe, expect, test } from 'vitest'
import { deidCorpus } from '../../scripts/deidCorpus.js'
import { deidentify } from '../../src/deid/deidentify.js'
import { collectInputs } from '../../src/deid/files/collectInputs.js'
import {
  type DeidentifyFileOutcome,
  deidentifyFiles,
} from '../../src/deid/files/deidentifyFiles.js'
import { openVault } from '../../src/deid/vault.js'

const root = mkdtempSync(join(tmpdir(), 'btt-deid-files-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

// 150 small instances (CT, MR, DX; every 4th implicit VR, every 3rd with a private block), in
// studies of 20, and one file that is not DICOM: more than two batches of 64.
const input = join(root, 'in')
const corpus = deidCorpus(input, 150, { scale: 16 })
writeFileSync(join(input, 'not-dicom.dcm'), 'plain text, not DICOM')
const { files } = collectInputs([input], { out: join(root, 'unused') })
const options = {
  retain: { dates: 'shifted' as const, device: true },
  clean: { descriptors: true },
}

function waitFor(condition: () => boolean) {
  const deadline = Date.now() + 60_000
  const sleep = new Int32Array(new SharedArrayBuffer(4))
  while (!condition() && Date.now() < deadline) Atomics.wait(sleep, 0, 0, 20)
}

async function run(name: string, workers: number, vaultName = name) {
  const out = join(root, name)
  const vault = openVault(join(root, `${vaultName}.vault.sqlite`))
  const outcomes: DeidentifyFileOutcome[] = []
  try {
    const counts = await deidentifyFiles(files, {
      ...options,
      out,
      vault,
      workers,
      onFile: (o) => {
        // small files go faster than a worker starts: the first output put in place holds the
        // calling thread until a worker has staged a file (beyond the calling thread's 64)
        if (workers && !outcomes.length) waitFor(() => readdirSync(out).length > 64)
        outcomes.push(o)
      },
    })
    return { out, key: vault.key, outcomes, counts, names: readdirSync(out).sort() }
  } finally {
    vault.close()
  }
}

describe('deidentifyFiles: worker threads give what the calling thread alone gives', () => {
  test('same outputs byte for byte, same outcomes, same vault; equal to deidentify() per file', async () => {
    const serial = await run('serial', 0)
    const parallel = await run('parallel', 3, 'serial') // the same vault: the same key
    expect(serial.counts).toEqual({ done: corpus.length, failed: 1, onWorkers: 0 })
    expect(parallel.counts).toMatchObject({ done: corpus.length, failed: 1 })
    expect(parallel.counts.onWorkers).toBeGreaterThan(0) // the workers did take files
    // no temporary file left behind, the same names
    expect(serial.names).toEqual([...corpus.map((f) => f.name)].sort())
    expect(parallel.names).toEqual(serial.names)
    const byFile = (os: DeidentifyFileOutcome[]) =>
      os.map((o) => JSON.stringify({ ...o, target: undefined })).sort()
    expect(byFile(parallel.outcomes)).toEqual(byFile(serial.outcomes))
    const failed = parallel.outcomes.filter((o) => 'error' in o)
    expect(failed.map((o) => [o.file.relative, 'error' in o && o.error.code])).toEqual([
      ['not-dicom.dcm', 'DEID_UNREADABLE_FILE'],
    ])
    // the plain reference: each output is deidentify() of its input with the vault's key
    expect(Buffer.from(parallel.key).equals(Buffer.from(serial.key))).toBe(true)
    for (const f of corpus) {
      const bytes = new Uint8Array(readFileSync(join(input, f.name)))
      const expected = deidentify(bytes, { ...options, key: new Uint8Array(serial.key) }).bytes
      const got = readFileSync(join(parallel.out, f.name))
      expect(Buffer.compare(got, Buffer.from(expected)), f.name).toBe(0)
      expect(Buffer.compare(readFileSync(join(serial.out, f.name)), got), f.name).toBe(0)
    }
  })

  test('every pseudonym a worker made is in the vault', async () => {
    const parallel = await run('parallel-vault', 2)
    expect(parallel.counts.onWorkers).toBeGreaterThan(0)
    const vault = openVault(join(root, 'parallel-vault.vault.sqlite'))
    try {
      const patients = new Set(
        parallel.outcomes.flatMap((o) => ('pseudonym' in o ? [o.pseudonym!] : [])),
      )
      expect(patients.size).toBe(Math.ceil(corpus.length / 20)) // one patient per study
      for (const p of patients)
        expect(vault.original(p)).toMatchObject({ kind: 'patient-id', original: /^MRN-\d+$/ })
      // every UID of every output maps back to the input's
      for (const f of corpus) {
        const bytes = new Uint8Array(readFileSync(join(input, f.name)))
        const { uids } = deidentify(bytes, { ...options, key: new Uint8Array(parallel.key) })
        expect(uids.size, f.name).toBeGreaterThan(3)
        for (const [original, pseudonym] of uids)
          expect(vault.original(pseudonym)).toEqual({ kind: 'uid', original })
      }
    } finally {
      vault.close()
    }
  })

  test('a worker that dies holding a file: the calling thread does that file', async () => {
    const out = join(root, 'dying')
    const marker = join(root, 'dying.marker')
    // takes one file from the shared counter, says so, and exits without a word
    const dying = new Worker(
      `const { parentPort } = require('node:worker_threads')
       parentPort.once('message', (job) => {
         Atomics.compareExchange(new Int32Array(job.state), job.slot, 0, 1)
         Atomics.add(new Int32Array(job.next), 0, 1)
         require('node:fs').writeFileSync(${JSON.stringify(marker)}, '')
         process.exit(1)
       })`,
      { eval: true },
    )
    const vault = openVault(':memory:')
    try {
      const counts = await deidentifyFiles(files, {
        ...{ ...options, out, vault, workers: [dying] },
        onFile: () => waitFor(() => existsSync(marker)),
      })
      expect(existsSync(marker)).toBe(true) // the worker did take a file before it died
      expect(counts).toEqual({ done: corpus.length, failed: 1, onWorkers: 0 })
      expect(readdirSync(out).sort()).toEqual(corpus.map((f) => f.name).sort())
    } finally {
      vault.close()
    }
  })

  test('a bad argument is CONNECTORS_INVALID_ARGUMENT', async () => {
    const vault = openVault(':memory:')
    try {
      await expect(
        deidentifyFiles(files, { out: join(root, 'x'), vault, workers: -1 }),
      ).rejects.toMatchObject({ code: 'CONNECTORS_INVALID_ARGUMENT' })
      // the files are checked by a loop, by zod (its issues) when one is not plainly right
      const [first] = files
      for (const bad of [
        [{ ...first, path: '' }],
        [{ ...first, extra: 1 }],
        [{ path: first!.path }],
        [null],
        Object.assign(new Array(2), { 1: first }), // a hole: every() would skip it
        'not a list',
        null,
      ])
        await expect(
          deidentifyFiles(bad as never, { out: join(root, 'x'), vault, workers: 0 }),
        ).rejects.toMatchObject({
          code: 'CONNECTORS_INVALID_ARGUMENT',
          details: { issues: [expect.objectContaining({ path: expect.any(String) })] },
        })
    } finally {
      vault.close()
    }
  })
})
