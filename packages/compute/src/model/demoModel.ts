import { fileURLToPath } from 'node:url'

/**
 * Path of the demonstration model's manifest, shipped with the package (models/nodule-demo).
 * A round-opacity finder for synthetic chest-radiograph-like images — not a clinical model.
 */
export function demoModelManifestPath(): string {
  // src/model/demoModel.ts in the workspace, dist/index.js once built; worked out once (analyze
  // asks for it on every call without a model)
  if (path === undefined) {
    const here = import.meta.url
    const up = here.includes('/src/model/') ? '../../' : '../'
    path = fileURLToPath(new URL(`${up}models/nodule-demo/manifest.json`, here))
  }
  return path
}
let path: string | undefined
