import type { ModelManifest } from '../manifest/schema.js'

/**
 * Height, width and channels of the model input, from the manifest.
 *
 * @param manifest - a parsed manifest.
 * @returns `{ channels, height, width }`.
 */
export function inputGeometry(manifest: ModelManifest): {
  channels: number
  height: number
  width: number
} {
  const s = manifest.input.shape
  return manifest.input.layout === 'NCHW'
    ? { channels: s[1], height: s[2], width: s[3] }
    : { channels: s[3], height: s[1], width: s[2] }
}
