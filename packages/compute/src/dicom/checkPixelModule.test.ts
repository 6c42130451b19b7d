import { describe, expect, test } from 'vitest'
import { writeDicom } from '../testing/writeDicom.js'
import { pixelModuleRules } from './checkPixelModule.js'
import { decodeDicom } from './decodeDicom.js'

/** A 2×2 16-bit MONOCHROME2 image with some attributes overridden (extra wins over the defaults). */
const grey = (extra: Record<string, unknown>) =>
  writeDicom({ frames: [Uint16Array.from([1, 2, 3, 4])], rows: 2, columns: 2, extra })

/** A 2×2 8-bit RGB image: 12 bytes of pixels (written as a 2×6 8-bit plane). */
const rgb = (extra: Record<string, unknown>) =>
  writeDicom({
    frames: [Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120])],
    rows: 2,
    columns: 6,
    extra: {
      Columns: 2,
      SamplesPerPixel: 3,
      PhotometricInterpretation: 'RGB',
      PlanarConfiguration: 0,
      ...extra,
    },
  })

// Each row breaks one rule of PS3.3 C.7.6.3; the file is otherwise what the rule above it allows.
const cases: [string, string, unknown, Uint8Array][] = [
  ['Rows 0', 'Rows', 0, grey({ Rows: 0 })],
  ['Columns 0', 'Columns', 0, grey({ Columns: 0 })],
  ['Samples per Pixel 0', 'SamplesPerPixel', 0, grey({ SamplesPerPixel: 0 })],
  ['Samples per Pixel 2', 'SamplesPerPixel', 2, grey({ SamplesPerPixel: 2 })],
  [
    'an unknown Photometric Interpretation',
    'PhotometricInterpretation',
    'GREEN',
    grey({ PhotometricInterpretation: 'GREEN' }),
  ],
  [
    'three samples called MONOCHROME2',
    'SamplesPerPixel',
    '3 with MONOCHROME2',
    rgb({ PhotometricInterpretation: 'MONOCHROME2' }),
  ],
  [
    'one sample called RGB',
    'SamplesPerPixel',
    '1 with RGB',
    grey({ PhotometricInterpretation: 'RGB' }),
  ],
  ['Bits Allocated 12', 'BitsAllocated', 12, grey({ BitsAllocated: 12 })],
  ['Bits Stored 0', 'BitsStored', 0, grey({ BitsStored: 0, HighBit: 0 })],
  ['Bits Stored above Bits Allocated', 'BitsStored', 17, grey({ BitsStored: 17, HighBit: 16 })],
  ['High Bit not Bits Stored − 1', 'HighBit', 15, grey({ HighBit: 15 })],
  ['Pixel Representation 2', 'PixelRepresentation', 2, grey({ PixelRepresentation: 2 })],
  [
    'three samples without Planar Configuration',
    'PlanarConfiguration',
    '(absent)',
    rgb({ PlanarConfiguration: undefined }),
  ],
  ['Planar Configuration 2', 'PlanarConfiguration', 2, rgb({ PlanarConfiguration: 2 })],
  ['Number of Frames 0', 'NumberOfFrames', 0, grey({ NumberOfFrames: 0 })],
  ['Number of Frames 1.5', 'NumberOfFrames', 1.5, grey({ NumberOfFrames: '1.5' })],
  ['Pixel Data shorter than the attributes call for', 'PixelData', '8 bytes', grey({ Rows: 3 })],
  ['Pixel Data longer than the attributes call for', 'PixelData', '8 bytes', grey({ Rows: 1 })],
]

describe('Image Pixel Module (PS3.3 C.7.6.3): an impossible image is refused, naming the attribute and value', () => {
  test.each(cases)('%s', async (_, attribute, value, bytes) => {
    const error = await decodeDicom(bytes, 'bad.dcm').then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toMatchObject({
      name: 'ComputeError',
      code: 'COMPUTE_INVALID_PIXEL_MODULE',
      details: { file: 'bad.dcm', attribute, value },
    })
    expect((error as Error).message).toContain(`${attribute} `)
  })

  test('every rule has a case', () => {
    const covered = new Set(cases.map(([, attribute]) => attribute))
    expect(
      pixelModuleRules.filter((r) => !covered.has(r.attribute)).map((r) => r.attribute),
    ).toEqual([])
  })

  test('what the standard allows is read: RGB by pixel and by plane give the same pixels, YBR_FULL too', async () => {
    const byPixel = await decodeDicom(rgb({}))
    expect(Array.from(byPixel.frames[0]!)).toEqual([
      10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120,
    ])
    const planes = writeDicom({
      frames: [Uint8Array.from([10, 40, 70, 100, 20, 50, 80, 110, 30, 60, 90, 120])],
      rows: 2,
      columns: 6,
      extra: {
        Columns: 2,
        SamplesPerPixel: 3,
        PhotometricInterpretation: 'RGB',
        PlanarConfiguration: 1,
      },
    })
    expect(Array.from((await decodeDicom(planes)).frames[0]!)).toEqual(
      Array.from(byPixel.frames[0]!),
    )
    await expect(
      decodeDicom(rgb({ PhotometricInterpretation: 'YBR_FULL' })),
    ).resolves.toMatchObject({
      samplesPerPixel: 3,
      photometricInterpretation: 'YBR_FULL',
    })
    await expect(
      decodeDicom(grey({ NumberOfFrames: 1, BitsStored: 16, HighBit: 15 })),
    ).resolves.toMatchObject({
      bitsStored: 16,
    })
  })

  test('allowed by the standard but not decoded: refused as unsupported, not read wrongly', async () => {
    for (const [extra, attribute] of [
      [{ PhotometricInterpretation: 'PALETTE COLOR' }, 'PhotometricInterpretation'],
      [{ BitsAllocated: 32, BitsStored: 32, HighBit: 31, Columns: 1 }, 'none'],
    ] as const) {
      const outcome = await decodeDicom(grey(extra)).then(
        () => 'none',
        (e: { code: string; details: { attribute: string } }) => `${e.code} ${e.details.attribute}`,
      )
      expect(outcome).toBe(
        attribute === 'none' ? 'none' : `COMPUTE_UNSUPPORTED_PIXEL_FORMAT ${attribute}`,
      )
    }
  })
})
