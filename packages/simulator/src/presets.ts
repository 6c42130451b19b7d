import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { parseArguments } from './parseArguments.js'

/** Scenario presets shipped with the package. */
export const presets = ['seed-model', 'helium-hip20', 'filecoin', 'monthly-decay'] as const

/** Absolute path of a preset's YAML file. */
export function presetPath(name: (typeof presets)[number]): string {
  parseArguments(z.enum(presets), name, 'preset name')
  // src/presets.ts in the workspace, dist/index.js once built: both sit one level below presets/
  return fileURLToPath(new URL(`../presets/${name}.yaml`, import.meta.url))
}
