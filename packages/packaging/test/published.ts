import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')

/** The packages published to npm, in dependency order (each after those it depends on). */
export const published = [
  'core',
  'payfi',
  'simulator',
  'compute',
  'tokenize',
  'connectors',
  'cli',
] as const
export type Published = (typeof published)[number]

type Conditions = { types?: string; default?: string }
type ExportEntry = string | { types?: string; import?: Conditions; require?: Conditions }

export type Manifest = {
  name: string
  version: string
  private?: boolean
  exports: Record<string, ExportEntry>
  bin?: Record<string, string>
}

/** The package.json of packages/<dir>. */
export function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest
}

/** The folders under packages/ whose package.json is not private. */
export function publicPackageDirs(): string[] {
  return readdirSync(join(root, 'packages'))
    .filter((d) => {
      try {
        return manifest(d).private !== true
      } catch {
        return false
      }
    })
    .sort()
}

/** The subpath exports of a package that have JavaScript (`.`, `./errors` …), not types-only ones. */
export function jsSubpaths(m: Manifest): string[] {
  return Object.entries(m.exports)
    .filter(([, e]) => typeof e === 'object' && e.import?.default && e.require?.default)
    .map(([k]) => k)
}

/** Every file under dist/ that the exports and bin of packages/<dir> name. */
export function distFiles(dir: string): string[] {
  const m = manifest(dir)
  const files = new Set<string>()
  for (const e of Object.values(m.exports)) {
    if (typeof e !== 'object') continue
    for (const c of [e.import, e.require]) {
      if (c?.types) files.add(c.types)
      if (c?.default) files.add(c.default)
    }
  }
  for (const b of Object.values(m.bin ?? {})) files.add(b)
  return [...files]
    .filter((f) => f.startsWith('./dist/'))
    .map((f) => join(root, 'packages', dir, f))
}

/** The specifier of a subpath export: `@btt/core` for `.`, `@btt/core/errors` for `./errors`. */
export function specifier(name: string, subpath: string): string {
  return subpath === '.' ? name : `${name}/${subpath.slice(2)}`
}

/** The environment for a child `node`: without NODE_OPTIONS (no `@btt/source` condition or loaders). */
export function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  delete env.NODE_OPTIONS
  return env
}
