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

const rawLutScratch = new Float32Array(65_536)

/**
 * A lookup table indexed by the raw bit pattern of an 8/16-bit sample (read through an unsigned
 * view): `raw[u] = lut[(u & mask) ^ flip]`. The pattern repeats every 2^bitsStored entries, so
 * the first block is filled and then doubled. A view over a reused buffer: valid until the next call.
 */
export function rawLut(
  lut: Float32Array,
  bitsStored: number,
  flip: number,
  bitsAllocated: number,
): Float32Array {
  const size = 2 ** bitsAllocated
  const raw = rawLutScratch.subarray(0, size)
  const block = Math.min(size, 2 ** bitsStored)
  for (let u = 0; u < block; u++) raw[u] = lut[u ^ flip]!
  for (let n = block; n < size; n *= 2) raw.copyWithin(n, 0, Math.min(n, size - n))
  return raw
}

/** The same samples as unsigned 8/16-bit values (a view over the same memory, no copy). */
export function unsignedView(
  pixels: import('../dicom/decodeDicom.js').PixelArray,
): Uint8Array | Uint16Array {
  if (pixels instanceof Uint8Array || pixels instanceof Uint16Array) return pixels
  const Ctor = pixels.BYTES_PER_ELEMENT === 1 ? Uint8Array : Uint16Array
  return new Ctor(pixels.buffer as ArrayBuffer, pixels.byteOffset, pixels.length)
}
