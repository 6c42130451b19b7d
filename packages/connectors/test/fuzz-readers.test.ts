import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

// Issue 11 §7: a seeded mutation fuzz of the DICOM readers (decodeDicom, deidentify,
// reidentify). Valid files (explicit and implicit VR, big endian, no meta header, RLE, nested
// private sequences of undefined length in group 0001) get random byte flips, truncations,
// changed length fields and VRs, and spliced chunks. Every case must end in a result or the
// package's own typed error with a code from its table, within a per-case deadline: never a
// TypeError, RangeError or a string thrown by a library, a crash or a hang. The cases run in a
// child process (fuzz/fuzzWorker.ts) that announces each one: a case that never ends (as one did
// in dcmjs-codecs) is killed after STALL_MS and named.

const SEED = 20_261_201
const CASES_PER_SEED = 500
const DEADLINE_MS = 1_000
const STALL_MS = 15_000
const SEEDS = 7

type Result = { cases: number; problems: string[]; outcomes: Record<string, number> }

function runFuzz(): Promise<{ result?: Result; stalled?: string; exit?: string }> {
  const worker = fileURLToPath(new URL('./fuzz/fuzzWorker.ts', import.meta.url))
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@btt/source',
      worker,
      String(SEED),
      String(CASES_PER_SEED),
      String(DEADLINE_MS),
    ],
    {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  )
  return new Promise((resolve) => {
    let last = '(before the first case)'
    let buffered = ''
    let result: Result | undefined
    let timer = setTimeout(stall, STALL_MS * 2) // start-up included
    function stall() {
      child.kill('SIGKILL')
      resolve({ stalled: last })
    }
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith('case ')) last = line.slice(5)
        else if (line.startsWith('result ')) result = JSON.parse(line.slice(7)) as Result
      }
      clearTimeout(timer)
      timer = setTimeout(stall, STALL_MS)
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(result ? { result } : { exit: `exit ${code ?? signal} during case ${last}` })
    })
  })
}

describe('mutation fuzz of the DICOM readers', () => {
  test(`decodeDicom, deidentify and reidentify: ${CASES_PER_SEED} mutations of each of ${SEEDS} seeds`, async () => {
    const { result, stalled, exit } = await runFuzz()
    expect(stalled, 'a case that did not end').toBeUndefined()
    expect(exit, 'the fuzz process died').toBeUndefined()
    expect(result!.cases).toBe(SEEDS * CASES_PER_SEED * 3)
    expect(result!.problems).toEqual([])
    // the mutations reach both outcomes of every reader: results and refusals
    for (const reader of ['decodeDicom', 'deidentify', 'reidentify']) {
      const counts = Object.entries(result!.outcomes).filter(([k]) => k.startsWith(`${reader} `))
      expect(counts.find(([k]) => k.endsWith(' ok'))?.[1], reader).toBeGreaterThan(50)
      expect(counts.filter(([k]) => !k.endsWith(' ok')).length, reader).toBeGreaterThan(0)
    }
  }, 180_000)
})
