import assert from 'node:assert'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { manifest, type Published, published, root } from './published.js'

/**
 * `pnpm pack` of every published package into `dest` (pnpm rewrites `workspace:*` into the
 * versions, as `pnpm publish` does). Returns each package's tarball path.
 */
export function packAll(dest: string): Record<Published, string> {
  const tarballs = {} as Record<Published, string>
  for (const dir of published) {
    const m = manifest(dir)
    const run = spawnSync('pnpm', ['pack', '--pack-destination', dest], {
      cwd: join(root, 'packages', dir),
      encoding: 'utf8',
    })
    assert.equal(run.status, 0, `pnpm pack of ${m.name} failed:\n${run.stdout}${run.stderr}`)
    const file = join(dest, `${m.name.slice(1).replace('/', '-')}-${m.version}.tgz`)
    assert.ok(existsSync(file), `pnpm pack of ${m.name} wrote no ${file}`)
    tarballs[dir] = file
  }
  return tarballs
}
