/**
 * k×k block means of looked-up raw values (one sample per pixel), written as (mean − m) × inv:
 * the fused lookup + integer area resize + normalisation of 8/16-bit data. `lut` is indexed by the
 * raw bit pattern ({@link rawLut}), so each sample is one load and one lookup.
 */
export function areaFromRaw(
  pixels: Uint8Array | Uint16Array,
  lut: Float32Array,
  cols: number,
  kx: number,
  ky: number,
  out: Float32Array,
  height: number,
  width: number,
  m: number,
  inv: number,
): void {
  if (kx === 2 && ky === 2) {
    for (let y = 0; y < height; y++) {
      const r0 = 2 * y * cols
      const r1 = r0 + cols
      const o = y * width
      for (let x = 0; x < width; x++) {
        const i = 2 * x
        out[o + x] =
          (0.25 *
            (lut[pixels[r0 + i]!]! +
              lut[pixels[r0 + i + 1]!]! +
              lut[pixels[r1 + i]!]! +
              lut[pixels[r1 + i + 1]!]!) -
            m) *
          inv
      }
    }
    return
  }
  const area = 1 / (kx * ky)
  for (let y = 0; y < height; y++) {
    const o = y * width
    for (let x = 0; x < width; x++) {
      let sum = 0
      for (let dy = 0; dy < ky; dy++) {
        const row = (y * ky + dy) * cols + x * kx
        for (let dx = 0; dx < kx; dx++) sum += lut[pixels[row + dx]!]!
      }
      out[o + x] = (sum * area - m) * inv
    }
  }
}
