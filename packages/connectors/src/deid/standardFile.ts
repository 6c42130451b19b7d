import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The path of a file in the package's `standard/` folder, found from this module's location
 * (`src/deid/` in the sources, `dist/` or a chunk of it once built).
 */
export function standardFile(name: string): string {
  for (const up of ['../../', '../', '../../../']) {
    const path = fileURLToPath(new URL(`${up}standard/${name}`, import.meta.url))
    if (existsSync(path)) return path
  }
  return fileURLToPath(new URL(`../../standard/${name}`, import.meta.url))
}
