import type { Options } from 'tsup'

/** What every package's tsup build shares: ESM + CJS + .d.ts, source maps, ES2022. */
export const base = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  shims: true,
} satisfies Options
