import { deflateRawSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { ComputeError } from '../../errors.js'
import { writeDicom } from '../../testing/writeDicom.js'
import { decodeDicom } from '../decodeDicom.js'
import { buildFileMeta } from './buildFileMeta.js'
import { inflatePart10 } from './inflatePart10.js'

const DEFLATED = '1.2.840.10008.1.2.1.99'

/** A deflated file of a small image: the explicit VR dataset of writeDicom's file, deflated. */
function deflatedImage(): { file: Uint8Array; pixels: number[] } {
  const pixels = [1, 2, 3, 4]
  const explicit = writeDicom({ frames: [Uint16Array.from(pixels)], rows: 2, columns: 2 })
  const metaEnd = 144 + new DataView(explicit.buffer, explicit.byteOffset).getUint32(140, true)
  const meta = buildFileMeta({ transferSyntaxUid: DEFLATED })
  const dataset = deflateRawSync(explicit.subarray(metaEnd))
  const file = new Uint8Array(meta.byteLength + dataset.byteLength)
  file.set(meta)
  file.set(dataset, meta.byteLength)
  return { file, pixels }
}

describe('inflatePart10', () => {
  test('a deflated file becomes explicit VR little endian, and decodeDicom reads it (it refused it)', async () => {
    const { file, pixels } = deflatedImage()
    const out = await inflatePart10(file, 'deflated.dcm')
    expect(Buffer.from(out).includes(Buffer.from('1.2.840.10008.1.2.1\0'))).toBe(true)
    const image = await decodeDicom(file, 'deflated.dcm')
    expect(Array.from(image.frames[0]!)).toEqual(pixels)
  })

  test('a file that is not deflated is returned as it is', async () => {
    const file = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })
    expect(await inflatePart10(file)).toBe(file)
  })

  test('a corrupt deflate stream is refused with the offset where the dataset starts', async () => {
    const { file } = deflatedImage()
    const datasetStart = buildFileMeta({ transferSyntaxUid: DEFLATED }).byteLength
    const broken = file.slice()
    broken.fill(0xff, broken.byteLength - 40)
    const error = await inflatePart10(broken, 'broken.dcm').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ComputeError)
    expect((error as ComputeError).code).toBe('COMPUTE_UNREADABLE_DICOM')
    expect((error as ComputeError).details).toMatchObject({ file: 'broken.dcm' })
    expect((error as ComputeError).details?.offset).toBe(datasetStart)
  })
})
