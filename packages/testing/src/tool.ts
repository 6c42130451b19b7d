import assert from 'node:assert'
import { execFileSync } from 'node:child_process'

const found = new Map<string, string | undefined>()

/**
 * The path of a command-line tool that `.ci/run` installs from Debian (`pkg`), or undefined. Under
 * CI a missing tool is an error — a skipped test there would hide a broken install step; elsewhere
 * the tests that need it skip, with one warning naming the package.
 */
export function tool(name: string, pkg: string): string | undefined {
  if (found.has(name)) return found.get(name)
  let path: string | undefined
  try {
    path = execFileSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name}`], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')[0]
  } catch {}
  found.set(name, path || undefined)
  if (!path) {
    if (process.env.CI) assert.fail(`${name} is not installed; .ci/run should install ${pkg}`)
    // biome-ignore lint/suspicious/noConsole: tells a developer without the package what is skipped
    console.warn(`${name} (Debian ${pkg}) not installed; skipping the tests that need it`)
  }
  return path || undefined
}
