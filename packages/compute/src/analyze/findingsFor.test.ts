import { describe, expect, test } from 'vitest'
import { manifestSchema } from '../manifest/schema.js'
import { findingsFor } from './findingsFor.js'

const manifest = manifestSchema.parse({
  id: 't',
  name: 't',
  version: '1',
  intendedUse: 'test',
  model: 'm.onnx',
  sha256: '0'.repeat(64),
  modalities: ['DX'],
  input: { name: 'x', shape: [-1, 1, 2, 2], layout: 'NCHW', dtype: 'float32' },
  preprocessing: {
    window: { mode: 'fixed', center: 0, width: 2 },
    interpolation: 'area',
    normalize: { mean: [0], std: [1] },
  },
  outputs: [
    { name: 's', kind: 'scores', labels: ['a'], activation: 'sigmoid' },
    { name: 'h', kind: 'heatmap' },
    { name: 'm', kind: 'mask', labels: ['a'], activation: 'sigmoid', threshold: 0.5 },
  ],
  findings: [{ label: 'a', output: 's', threshold: 0.5, locateWith: 'h', segmentWith: 'm' }],
})

// two images: image 0 has a finding at the top-left grid cell, image 1 has none
const outputs = {
  s: { data: Float32Array.from([3, -3]), dims: [2, 1] },
  h: { data: Float32Array.from([1, 0, 0, 0, 0, 0, 0, 0]), dims: [2, 1, 2, 2] },
  m: { data: Float32Array.from([4, -4, -4, -4, -4, -4, -4, -4]), dims: [2, 1, 2, 2] },
}

describe('findingsFor', () => {
  test('a present finding gets its probability, box and mask at the source size', () => {
    const [f] = findingsFor(manifest, outputs, 0, { rows: 4, columns: 4 }, true)
    expect(f).toMatchObject({ label: 'a', present: true, box: { x: 0, y: 0, width: 2, height: 2 } })
    expect(f!.probability).toBeCloseTo(1 / (1 + Math.exp(-3)), 6)
    expect(f!.mask).toMatchObject({ rows: 4, columns: 4, area: 4 })
    expect(Array.from(f!.mask!.probabilities!.subarray(0, 4))).toEqual([250, 250, 5, 5])
  })

  test('an absent finding has no box and no mask', () => {
    const [f] = findingsFor(manifest, outputs, 1, { rows: 4, columns: 4 }, true)
    expect(f).toEqual({ label: 'a', probability: 1 / (1 + Math.exp(3)), present: false })
  })
})
