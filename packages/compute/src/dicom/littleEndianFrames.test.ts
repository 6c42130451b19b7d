/// <reference path="../types/dcmjs.d.ts" />
import dcmjs from 'dcmjs'
import { describe, expect, test } from 'vitest'
import { writeDicom } from '../testing/writeDicom.js'
import { decodeDicom } from './decodeDicom.js'

/**
 * writeDicom's file rewritten by dcmjs in explicit VR big endian; dcmjs writes OW Pixel Data as it
 * holds it (little endian), so the pixel bytes (the file's last) are swapped here.
 */
function bigEndian(pixels: number[]): Uint8Array {
  const file = writeDicom({
    frames: [Uint16Array.from(pixels)],
    rows: 2,
    columns: 2,
    extra: { ImageComments: 'big endian' },
  })
  const dict = dcmjs.data.DicomMessage.readFile(file.buffer.slice(file.byteOffset) as ArrayBuffer)
  ;(dict.meta as Record<string, unknown>)['00020010'] = { vr: 'UI', Value: ['1.2.840.10008.1.2.2'] }
  const out = new Uint8Array(dict.write())
  for (let i = out.length - 2 * pixels.length; i < out.length; i += 2)
    [out[i], out[i + 1]] = [out[i + 1]!, out[i]!]
  return out
}

describe('decodeDicom on explicit VR big endian', () => {
  test('pixels come out in the platform order (they came out byte-swapped: 1 read as 256)', async () => {
    const image = await decodeDicom(bigEndian([1, 2, 0x0102, 4000]), 'be.dcm')
    expect(Array.from(image.frames[0]!)).toEqual([1, 2, 0x0102, 4000])
  })

  test('an Image Comments VR changed to FD (10 bytes) decodes: transcoding it looped for ever', async () => {
    const file = bigEndian([1, 2, 3, 4])
    const at = Buffer.from(file).indexOf(Buffer.from([0x00, 0x20, 0x40, 0x00, 0x4c, 0x54])) // (0020,4000) LT
    expect(at).toBeGreaterThan(132)
    const broken = file.slice()
    broken.set([0x46, 0x44], at + 4) // FD
    const image = await decodeDicom(broken, 'fd.dcm')
    expect(Array.from(image.frames[0]!)).toEqual([1, 2, 3, 4])
  }, 15_000)
})
