import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The path of a file in the package's `standard/` folder, found from this module's location
 * (`src/deid/` in the sources, `dist/` or a chunk of it once built, or the package's folder
 * when bundled into another package's build).
 */
export function standardFile(name: string): string {
  for (const up of ['../../', '../', '../../../']) {
    const path = fileURLToPath(new URL(`${up}standard/${name}`, import.meta.url))
    if (existsSync(path)) return path
  }
  // bundled into another package's build (the CLI's `btt deid`): this package's own folder
  const own = ownFolder()
  if (own && existsSync(join(own, 'standard', name))) return join(own, 'standard', name)
  return fileURLToPath(new URL(`../../standard/${name}`, import.meta.url))
}

/** The folder of the installed @btt/connectors package, if it can be resolved from here. */
export function ownFolder(): string | undefined {
  try {
    return dirname(fileURLToPath(import.meta.resolve('@btt/connectors/package.json')))
  } catch {
    return undefined // no import.meta.resolve (CommonJS build) or not installed
  }
}
