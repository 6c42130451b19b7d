import { describe, expect, test } from 'vitest'
import { ComputeError } from '../errors.js'
import { writeDicom } from '../testing/writeDicom.js'
import { transcodeDicom } from './transcodeDicom.js'

const RLE = '1.2.840.10008.1.2.5'

describe('transcodeDicom', () => {
  test('an RLE file whose Series Instance UID VR reads "sq" is refused (dcmjs-codecs looped for ever on it)', async () => {
    const rle = await transcodeDicom(
      writeDicom({ frames: [new Uint16Array(64)], rows: 8, columns: 8 }),
      RLE,
    )
    const at = Buffer.from(rle).indexOf(Buffer.from([0x20, 0, 0x0e, 0, 0x55, 0x49])) // (0020,000E) UI
    expect(at).toBeGreaterThan(132)
    const broken = rle.slice()
    broken.set([0x73, 0x71], at + 4) // 'sq'
    const error = await transcodeDicom(broken, '1.2.840.10008.1.2.1', 'broken.dcm').catch((e) => e)
    expect(error).toBeInstanceOf(ComputeError)
    expect(error.code).toBe('COMPUTE_UNREADABLE_DICOM')
    expect(error.details).toMatchObject({ offset: at + 4 })
  }, 15_000)

  test('a dataset stored without meta header is transcoded', async () => {
    const file = writeDicom({ frames: [Uint16Array.of(1, 2, 3, 4)], rows: 2, columns: 2 })
    const view = new DataView(file.buffer, file.byteOffset)
    const metaEnd = 144 + view.getUint32(140, true) // (0002,0000) group length at 132
    const rle = await transcodeDicom(file.subarray(metaEnd), RLE, 'raw.dcm')
    expect(String.fromCharCode(...rle.subarray(128, 132))).toBe('DICM')
    expect(Buffer.from(rle).includes(Buffer.from(RLE))).toBe(true)
  })
})
