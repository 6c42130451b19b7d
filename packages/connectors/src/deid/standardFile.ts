import { fileURLToPath } from 'node:url'

/** The path of a file in the package's `standard/` folder, from `src/deid/` or the built `dist/`. */
export function standardFile(name: string): string {
  const here = import.meta.url
  const up = here.includes('/src/deid/') ? '../../' : '../'
  return fileURLToPath(new URL(`${up}standard/${name}`, here))
}
