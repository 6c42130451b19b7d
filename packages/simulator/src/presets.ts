import { fileURLToPath } from 'node:url'

/** Scenario presets shipped with the package. */
export const presets = ['seed-model', 'helium-hip20', 'filecoin', 'monthly-decay'] as const

/** Absolute path of a preset's YAML file. */
export function presetPath(name: (typeof presets)[number]): string {
  // src/presets.ts in the workspace, dist/index.js once built: both sit one level below presets/
  return fileURLToPath(new URL(`../presets/${name}.yaml`, import.meta.url))
}
