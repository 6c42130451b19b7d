import { fileURLToPath } from 'node:url'

/**
 * Path of the demonstration model's manifest, shipped with the package (models/nodule-demo).
 * A round-opacity finder for synthetic chest-radiograph-like images — not a clinical model.
 */
export function demoModelManifestPath(): string {
  // src/model/demoModel.ts in the workspace, dist/index.js once built
  const here = import.meta.url
  const up = here.includes('/src/model/') ? '../../' : '../'
  return fileURLToPath(new URL(`${up}models/nodule-demo/manifest.json`, here))
}
