import { describe, expect, test } from 'vitest'
import { manifestSchema } from '../manifest/schema.js'
import { writeDicom } from '../testing/writeDicom.js'
import { readInput } from './collectInputs.js'
import { decodeInputs } from './decodeInputs.js'
import type { AnalysisFailure } from './types.js'

const manifest = manifestSchema.parse({
  id: 't',
  name: 't',
  version: '1',
  intendedUse: 'test',
  model: 'm.onnx',
  sha256: '0'.repeat(64),
  modalities: ['DX'],
  bodyParts: ['CHEST'],
  input: { name: 'x', shape: [-1, 1, 2, 2], layout: 'NCHW', dtype: 'float32' },
  preprocessing: {
    window: { mode: 'dicom' },
    interpolation: 'area',
    normalize: { mean: [0], std: [1] },
  },
  outputs: [{ name: 's', kind: 'scores', labels: ['a'] }],
  findings: [{ label: 'a', output: 's', threshold: 0.5 }],
})
const image = (o: { modality?: string; bodyPart?: string } = {}) =>
  writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2, ...o })

describe('decodeInputs', () => {
  test('decodes what the model applies to; the rest fail one by one with their codes', async () => {
    const failures: AnalysisFailure[] = []
    const { images, ms } = await decodeInputs(
      [
        { name: 'ok.dcm', bytes: image() },
        { name: 'ct.dcm', bytes: image({ modality: 'CT' }) },
        { name: 'knee.dcm', bytes: () => image({ bodyPart: 'KNEE' }) },
        { name: 'lower.dcm', bytes: image({ bodyPart: 'chest' }) },
        { name: 'junk.dcm', bytes: new TextEncoder().encode('not a DICOM file; '.repeat(20)) },
        {
          name: 'throws.dcm',
          bytes: () => {
            throw new TypeError('boom')
          },
        },
      ],
      manifest,
      failures,
    )
    expect(images.map((i) => i.file)).toEqual(['ok.dcm', 'lower.dcm'])
    expect(ms).toBeGreaterThan(0)
    expect(failures.map((f) => [f.file, f.error.code])).toEqual([
      ['ct.dcm', 'COMPUTE_WRONG_MODALITY'],
      ['knee.dcm', 'COMPUTE_WRONG_MODALITY'],
      ['junk.dcm', 'COMPUTE_UNREADABLE_DICOM'],
      ['throws.dcm', 'COMPUTE_UNEXPECTED'],
    ])
    expect(failures[0]!.error.details).toEqual({
      file: 'ct.dcm',
      attribute: 'modality',
      value: 'CT',
      expected: ['DX'],
    })
  })

  test('a file that cannot be read when its turn comes fails alone (read ahead, off the main thread)', async () => {
    const failures: AnalysisFailure[] = []
    const { images } = await decodeInputs(
      [
        { name: '/nonexistent/gone.dcm', bytes: () => readInput('/nonexistent/gone.dcm') },
        { name: 'ok.dcm', bytes: async () => image() },
      ],
      manifest,
      failures,
    )
    expect(images.map((i) => i.file)).toEqual(['ok.dcm'])
    expect(failures).toMatchObject([
      {
        file: '/nonexistent/gone.dcm',
        error: { code: 'COMPUTE_UNREADABLE_INPUT', details: { reason: 'no such file or folder' } },
      },
    ])
  })

  test('no items: no images, no failures', async () => {
    const failures: AnalysisFailure[] = []
    expect((await decodeInputs([], manifest, failures)).images).toEqual([])
    expect(failures).toEqual([])
  })
})
