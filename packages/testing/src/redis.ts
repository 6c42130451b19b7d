import assert from 'node:assert'
import { mkdtempSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './orthanc.js'
import { tool } from './tool.js'
import { spawnWatched, waitUntil } from './watchdog.js'

/** The Debian `redis-server` binary, or undefined (and under CI=1 a failure) when missing. */
export function redisBinary(): string | undefined {
  return tool('redis-server', 'redis-server')
}

export type RedisServer = {
  url: string
  port: number
  dir: string
  /** Stops the server and starts it again on the same port and folder (data kept if persistent). */
  restart(): Promise<void>
  stop(): Promise<void>
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')))
  })
}

/**
 * Starts Debian's redis-server on a random loopback port in a temporary folder, under the
 * watchdog (it stops with this process). No persistence unless `persistent` (then an
 * append-only file fsynced on every write, so `restart()` loses nothing).
 */
export async function startRedis(options: { persistent?: boolean } = {}): Promise<RedisServer> {
  const binary = redisBinary()
  if (!binary) assert.fail('redis-server is not installed (apt-get install redis-server)')
  const dir = mkdtempSync(join(tmpdir(), 'btt-redis-'))
  const port = await freePort()
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    ...(options.persistent
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no']),
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
  ]
  let watched = spawnWatched(binary, args, { name: 'redis' })
  await waitUntil('redis-server', watched, () => ping(port), 20)
  const cleanup = spawnWatched('sleep', ['2147483647'], { dir, name: 'redis-dir' })
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async restart() {
      await watched.stop()
      // the port must be free again before the new server binds it
      for (let i = 0; i < 100 && (await ping(port)); i++)
        await new Promise((r) => setTimeout(r, 100))
      watched = spawnWatched(binary, args, { name: 'redis' })
      await waitUntil('redis-server', watched, () => ping(port), 20)
    },
    async stop() {
      await watched.stop()
      await cleanup.stop()
    },
  }
}
