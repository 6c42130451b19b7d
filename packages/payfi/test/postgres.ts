import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BIN = '/usr/lib/postgresql/15/bin'

/** Whether PostgreSQL 15's binaries are here; tests skip locally without them and fail under CI=1. */
export const hasPostgres = existsSync(join(BIN, 'postgres'))

export type TestPostgres = { url: string; stop: () => Promise<void> }

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

/**
 * Starts a throw-away PostgreSQL 15 cluster: initdb in a temporary folder, loopback only, a random
 * port, run as the `postgres` user when we are root. A detached watchdog stops it and removes the
 * folder if this process dies without calling `stop` (a killed test worker leaves nothing running).
 */
export async function startPostgres(): Promise<TestPostgres> {
  const root = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'payfi-pg-'))
  const data = join(dir, 'data')
  const asPg = (cmd: string, args: string[]) =>
    root ? (['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const) : ([cmd, args] as const)
  if (root) execFileSync('chown', ['postgres:postgres', dir])
  const [i0, i1] = asPg(join(BIN, 'initdb'), [
    '-D',
    data,
    '-U',
    'payfi',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-instructions',
  ])
  execFileSync(i0, i1, { stdio: 'ignore' })
  const port = await freePort()
  const [p0, p1] = asPg(join(BIN, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=on',
    '-c',
    'synchronous_commit=on',
    '-c',
    'max_connections=40',
  ])
  const server = spawn(p0, p1, { stdio: 'ignore' })
  const pidFile = join(data, 'postmaster.pid')
  const watchdog = spawn(
    'sh',
    [
      '-c',
      `while kill -0 ${process.pid} 2>/dev/null && [ -d ${dir} ]; do sleep 1; done;
      P=$(head -1 ${pidFile} 2>/dev/null); [ -n "$P" ] && kill -INT $P;
      for i in 1 2 3 4 5 6 7 8 9 10; do [ -f ${pidFile} ] || break; sleep 0.5; done;
      [ -n "$P" ] && kill -9 $P 2>/dev/null; rm -rf ${dir}`,
    ],
    { detached: true, stdio: 'ignore' },
  )
  watchdog.unref()
  server.unref()
  const url = `postgres://payfi@127.0.0.1:${port}/postgres`
  for (let i = 0; ; i++) {
    try {
      execFileSync(join(BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {
        stdio: 'ignore',
      })
      break
    } catch {
      if (i > 100) throw new Error(`PostgreSQL did not start on ${port}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  return {
    url,
    stop: async () => {
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0
      if (pid) process.kill(pid, 'SIGINT')
      for (let i = 0; i < 100 && existsSync(pidFile); i++)
        await new Promise((r) => setTimeout(r, 100))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
