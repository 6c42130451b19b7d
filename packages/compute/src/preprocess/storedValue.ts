/** Reads the stored bits of a raw sample: masks unused high bits and sign-extends. */
export function storedValue(
  bitsStored: number,
  signed: boolean,
  bitsAllocated: number,
): (raw: number) => number {
  if (bitsStored >= bitsAllocated || bitsStored >= 32) return (raw) => raw
  const mask = 2 ** bitsStored - 1
  const sign = 2 ** (bitsStored - 1)
  return signed
    ? (raw) => {
        const v = raw & mask
        return v >= sign ? v - 2 * sign : v
      }
    : (raw) => raw & mask
}

const lutScratch = new Float32Array(65_536)

/**
 * The windowed value of every stored value of 8/16-bit data, by index `(raw & mask) ^ flip`
 * (offset binary, so index − flip is the stored value). A view over a reused buffer: valid until
 * the next call.
 */
export function buildLut(
  bitsStored: number,
  flip: number,
  slope: number,
  intercept: number,
  low: number,
  scale: number,
  invert: boolean,
): Float32Array {
  const lut = lutScratch.subarray(0, 1 << bitsStored)
  for (let i = 0; i < lut.length; i++) {
    let y = (slope * (i - flip) + intercept - low) * scale
    y = Math.min(1, Math.max(0, y))
    lut[i] = invert ? 1 - y : y
  }
  return lut
}
