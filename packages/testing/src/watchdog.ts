import assert from 'node:assert'
import { type ChildProcess, spawn } from 'node:child_process'

/**
 * Spawns `binary args…` under a watchdog shell that stops it (and removes `dir`, if given) when
 * asked to, or as soon as this Node process is gone — test workers can be torn down without
 * running any hook, and a server must not outlive them.
 */
export function spawnWatched(
  binary: string,
  args: readonly string[],
  options: { dir?: string; name: string },
): { child: ChildProcess; stderr(): string; stop(): Promise<void> } {
  const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
  const cleanup = options.dir ? `; rm -rf '${options.dir}'` : ''
  const watchdog = [
    `"$1" ${quoted} & o=$!`,
    `trap 'kill $o 2>/dev/null; wait $o${cleanup}; exit 0' TERM INT`,
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $o 2>/dev/null; do sleep 0.5; done`,
    `kill $o 2>/dev/null; wait $o${cleanup}`,
  ].join('\n')
  const child = spawn('sh', ['-c', watchdog, `${options.name}-watchdog`, binary], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000)
  })
  return {
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        let timer: NodeJS.Timeout | undefined
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))])
        clearTimeout(timer) // a pending timer would keep a script alive 10 s after the stop
        if (child.exitCode === null) child.kill('SIGKILL')
      }
    },
  }
}

/** Polls `ready` every 100 ms until it resolves true, the child exits, or `seconds` pass. */
export async function waitUntil(
  what: string,
  watched: { child: ChildProcess; stderr(): string; stop(): Promise<void> },
  ready: () => Promise<boolean>,
  seconds = 30,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000
  for (;;) {
    if (watched.child.exitCode !== null)
      assert.fail(`${what} exited (${watched.child.exitCode}): ${watched.stderr()}`)
    if (await ready().catch(() => false)) return
    if (Date.now() > deadline) {
      await watched.stop()
      assert.fail(`${what} did not answer in ${seconds} s: ${watched.stderr()}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
