import assert from 'node:assert'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { distFiles, published, root } from './published.js'

/** The newest modification time of the files a package's build reads (tests and benches aside). */
function newestInput(dir: string): number {
  const pkg = join(root, 'packages', dir)
  let newest = 0
  const visit = (path: string): void => {
    const s = statSync(path, { throwIfNoEntry: false })
    if (!s) return
    if (s.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry))
    } else if (!/\.(test|test-d|bench|fuzz\.test)\.ts$/.test(path)) {
      newest = Math.max(newest, s.mtimeMs)
    }
  }
  visit(join(pkg, 'src'))
  for (const f of ['package.json', 'tsup.config.ts', 'tsconfig.json']) visit(join(pkg, f))
  visit(join(root, 'tsup.base.ts'))
  return newest
}

/** The oldest of the files the exports name, or 0 when one is missing. */
function oldestOutput(dir: string): number {
  let oldest = Number.POSITIVE_INFINITY
  for (const f of distFiles(dir)) {
    try {
      oldest = Math.min(oldest, statSync(f).mtimeMs)
    } catch {
      return 0
    }
  }
  return oldest
}

/** The published packages whose dist/ is missing or older than their sources. */
export function staleBuilds(): string[] {
  return published.filter((dir) => oldestOutput(dir) < newestInput(dir))
}

const lock = join(root, 'node_modules/.cache/btt-packaging/build.lock')

/**
 * Builds (tsup, through each package's `build` script) the published packages whose dist/ is
 * missing or stale, so the packaging tests run from a fresh clone without `pnpm build`. One build
 * at a time: a lock folder serialises test files and concurrent runs. Returns what was built and
 * how long it took.
 */
export async function ensureBuilt(): Promise<{ built: string[]; seconds: number }> {
  const started = performance.now()
  for (;;) {
    const stale = staleBuilds()
    if (stale.length === 0) return { built: [], seconds: 0 }
    mkdirSync(join(lock, '..'), { recursive: true })
    try {
      mkdirSync(lock)
    } catch {
      // another run builds; a lock left by a killed run is dropped after 15 minutes
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()
      if (Date.now() - since > 15 * 60_000) rmSync(lock, { recursive: true, force: true })
      await sleep(1000)
      continue
    }
    try {
      const filters = stale.flatMap((dir) => ['--filter', `./packages/${dir}`])
      const run = spawnSync('pnpm', ['-r', ...filters, 'build'], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      })
      assert.equal(
        run.status,
        0,
        `pnpm build of ${stale.join(', ')} failed:\n${`${run.stdout}${run.stderr}`.slice(-4000)}`,
      )
      const seconds = (performance.now() - started) / 1000
      // biome-ignore lint/suspicious/noConsole: the build time, in the test log
      console.info(`packaging tests: built ${stale.join(', ')} in ${seconds.toFixed(0)} s`)
      return { built: stale, seconds }
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }
}
