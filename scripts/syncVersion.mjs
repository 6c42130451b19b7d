// After `changeset version` bumps packages/core/package.json, writes the same version into
// packages/core/src/version.ts (stamped into every BttError). Run by `pnpm changeset:version`.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'

const root = new URL('../packages/core/', import.meta.url)
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'))
const file = new URL('src/version.ts', root)
const before = readFileSync(file, 'utf8')
const after = before.replace(
  /export const version = '[^']*'/,
  `export const version = '${version}'`,
)
if (after !== before) {
  writeFileSync(new URL('src/version.ts.tmp', root), after)
  renameSync(new URL('src/version.ts.tmp', root), file)
  console.log(`packages/core/src/version.ts: ${version}`)
}
