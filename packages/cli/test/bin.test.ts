import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'

const root = join(import.meta.dirname, '../../..')
const dir = mkdtempSync(join(tmpdir(), 'btt-cli-bin-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('the btt program exits once its error is printed, even when a peer that never answers left a socket open (it hung)', async () => {
  // a chain node that accepts connections and never answers
  const sockets: Socket[] = []
  const silent = createServer((s) => sockets.push(s))
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
  const port = (silent.address() as { port: number }).port
  const deployment = join(dir, 'deployment.json')
  const address = (n: number) => `0x${n.toString(16).padStart(40, '0')}`
  writeFileSync(
    deployment,
    JSON.stringify({ deployer: address(1), token: address(2), batchPayout: address(3) }),
  )
  const ledger = join(dir, 'ledger.sqlite')
  writeFileSync(ledger, '')
  try {
    const args = [
      ...['--import', 'tsx', '--conditions=@btt/source', 'packages/cli/src/bin.ts'],
      ...['payfi', 'reconcile', '--rpc', `http://127.0.0.1:${port}`, '--timeout-seconds', '1'],
      ...['--ledger', ledger, '--deployment', deployment],
    ]
    // killed (and failing) if it does not exit by itself well after its 1-second timeout
    const result = await new Promise<{ code: number | null; stderr: string; killed: boolean }>(
      (resolve) => {
        const child = execFile(
          process.execPath,
          args,
          { cwd: root, timeout: 30_000 },
          (e, _o, stderr) => resolve({ code: child.exitCode, stderr, killed: Boolean(e?.killed) }),
        )
      },
    )
    expect(result.killed).toBe(false)
    expect(result.stderr).toMatch(/^error PAYFI_CHAIN_TIMEOUT: /)
    expect(result.code).toBe(8) // kind timeout
  } finally {
    for (const s of sockets) s.destroy()
    silent.close()
  }
}, 60_000)

test('btt analyze (backend auto) prints nothing on stderr: no native warning from the WebGPU probe where there is no Vulkan', async () => {
  const study = join(dir, 'study')
  const run = (...argv: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', '--conditions=@btt/source', 'packages/cli/src/bin.ts', ...argv],
        { cwd: root, timeout: 120_000 },
        (_e, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
      )
    })
  expect((await run('demo-study', study)).code).toBe(0)
  const result = await run('analyze', study, '--out', join(dir, 'out'), '--backend', 'auto')
  expect(result.stderr).toBe('')
  expect(result.stdout).toMatch(/ on (cpu|cuda|webgpu): auto/)
  expect(result.code).toBe(0)
}, 240_000)
