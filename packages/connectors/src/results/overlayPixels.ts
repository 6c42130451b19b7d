import type { Finding } from '@btt/compute'

type Frame = ArrayLike<number>

/**
 * A frame windowed to 8 bits: the 1st–99th percentile of its stored values (sampled; rescale does
 * not change their order) mapped to 0–255, inverted for MONOCHROME1 so that bright is dense.
 */
export function windowTo8Bits(
  frame: Frame,
  o: { rows: number; columns: number; samplesPerPixel: number; monochrome1: boolean },
): Uint8Array {
  const n = o.rows * o.columns
  const sample = Math.min(n, 65_536)
  const sorted = Float64Array.from(
    { length: sample },
    (_, i) => frame[Math.floor((i * n) / sample) * o.samplesPerPixel]!,
  )
  sorted.sort()
  const lo = sorted[Math.floor(sorted.length * 0.01)]!
  const hi = Math.max(lo + 1, sorted[Math.floor(sorted.length * 0.99)]!)
  const pixels = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const v = Math.min(
      255,
      Math.max(0, Math.round(((frame[i * o.samplesPerPixel]! - lo) / (hi - lo)) * 255)),
    )
    pixels[i] = o.monochrome1 ? 255 - v : v
  }
  return pixels
}

/** Burns each present finding's outline (mask pixels with a neighbour outside the mask) white. */
export function burnOutlines(
  pixels: Uint8Array,
  findings: readonly Finding[],
  rows: number,
  columns: number,
): void {
  for (const f of findings) {
    const m = f.mask
    if (!f.present || !m || m.rows !== rows || m.columns !== columns) continue
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < columns; x++) {
        const i = y * columns + x
        if (!m.pixels[i]) continue
        const edge =
          x === 0 ||
          y === 0 ||
          x === columns - 1 ||
          y === rows - 1 ||
          !m.pixels[i - 1] ||
          !m.pixels[i + 1] ||
          !m.pixels[i - columns] ||
          !m.pixels[i + columns]
        if (edge) pixels[i] = 255
      }
  }
}

/** Burns each present finding's box, two pixels wide and clipped to the image, white. */
export function burnBoxes(
  pixels: Uint8Array,
  findings: readonly Finding[],
  rows: number,
  columns: number,
): void {
  for (const f of findings) {
    if (!f.present || !f.box) continue
    const x0 = Math.max(0, f.box.x)
    const y0 = Math.max(0, f.box.y)
    const x1 = Math.min(columns - 1, f.box.x + f.box.width)
    const y1 = Math.min(rows - 1, f.box.y + f.box.height)
    for (let t = 0; t < 2; t++) {
      for (let x = x0; x <= x1; x++) {
        pixels[Math.min(rows - 1, y0 + t) * columns + x] = 255
        pixels[Math.max(0, y1 - t) * columns + x] = 255
      }
      for (let y = y0; y <= y1; y++) {
        pixels[y * columns + Math.min(columns - 1, x0 + t)] = 255
        pixels[y * columns + Math.max(0, x1 - t)] = 255
      }
    }
  }
}
