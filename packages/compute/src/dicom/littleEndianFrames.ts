import type { DecodedImage, PixelArray } from './decodeDicom.js'

/**
 * Frames of an explicit VR big endian file in the platform's (little endian) byte order: the
 * frames are views over the file's bytes, so 16- and 32-bit samples come out byte-swapped. Each
 * frame is copied with its bytes swapped per sample; 8-bit samples stored as OW are swapped in
 * pairs (OW is a stream of 16-bit words); 8-bit OB is left as it is.
 *
 * @param image - the decoded image (its frames are replaced).
 * @param pixelDataVr - the VR Pixel Data has in the file.
 * @returns the image.
 */
export function littleEndianFrames(
  image: DecodedImage,
  pixelDataVr: string | undefined,
): DecodedImage {
  const width = image.bitsAllocated === 8 ? (pixelDataVr === 'OW' ? 2 : 1) : image.bitsAllocated / 8
  if (width === 1) return image
  image.frames = image.frames.map((frame) => swapped(frame, width))
  return image
}

function swapped<T extends PixelArray>(frame: T, width: number): T {
  const bytes = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength)
  const copy = new Uint8Array(bytes.byteLength)
  const whole = bytes.byteLength - (bytes.byteLength % width)
  for (let i = 0; i < whole; i += width)
    for (let k = 0; k < width; k++) copy[i + k] = bytes[i + width - 1 - k]!
  copy.set(bytes.subarray(whole), whole)
  return new (frame.constructor as new (b: ArrayBuffer) => T)(copy.buffer)
}
