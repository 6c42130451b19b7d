import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { onnx } = require('onnx-proto') as typeof import('onnx-proto')

export const DEMO_INPUT_SIZE = 256
const KERNEL = 25
const SIGMA_CENTRE = 3
const SIGMA_SURROUND = 6

/** A zero-sum difference-of-Gaussians kernel: responds to round spots about 5–8 px across. */
export function dogKernel(): Float32Array {
  const k = new Float32Array(KERNEL * KERNEL)
  const r = (KERNEL - 1) / 2
  let sc = 0
  let ss = 0
  const c: number[] = []
  const s: number[] = []
  for (let y = -r; y <= r; y++)
    for (let x = -r; x <= r; x++) {
      const d2 = x * x + y * y
      const a = Math.exp(-d2 / (2 * SIGMA_CENTRE ** 2))
      const b = Math.exp(-d2 / (2 * SIGMA_SURROUND ** 2))
      c.push(a)
      s.push(b)
      sc += a
      ss += b
    }
  for (let i = 0; i < k.length; i++) k[i] = c[i]! / sc - s[i]! / ss
  return k
}

/**
 * The demonstration model's ONNX bytes: image [N,1,256,256] → reflect Pad → Conv(DoG) → `heatmap`
 * [N,1,256,256] → GlobalMaxPool → × scale + bias → `scores` [N,1] (logits; the manifest applies
 * the sigmoid), and `mask` [N,1,256,256] = scale × (heatmap − peak/2) (logits: the spot's
 * half-maximum outline). Deterministic: the same scale and bias give the same bytes.
 */
export function buildNoduleDemoModel({ scale, bias }: { scale: number; bias: number }): Uint8Array {
  const T = onnx.TensorProto.DataType
  const tensor = (name: string, dims: number[], values: Float32Array | number[]) => ({
    name,
    dataType: T.FLOAT,
    dims,
    rawData: new Uint8Array(Float32Array.from(values).buffer),
  })
  const shape = (dims: (number | string)[]) => ({
    dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
  })
  const io = (name: string, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType: T.FLOAT, shape: shape(dims) } },
  })
  const pad = (KERNEL - 1) / 2
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'btt-sdk scripts/build-demo-model.ts',
    producerVersion: '1',
    docString:
      'DEMONSTRATION ONLY: round-opacity detector with designed weights, for synthetic images.',
    graph: {
      name: 'nodule-demo',
      initializer: [
        tensor('dog', [1, 1, KERNEL, KERNEL], dogKernel()),
        tensor('scale', [1], [scale]),
        tensor('bias', [1], [bias]),
        tensor('half', [1], [0.5]),
        { name: 'pads', dataType: T.INT64, dims: [8], int64Data: [0, 0, pad, pad, 0, 0, pad, pad] },
      ],
      node: [
        // reflect padding: zero padding would make the image border look like a bright spot
        {
          opType: 'Pad',
          input: ['image', 'pads'],
          output: ['padded'],
          attribute: [
            {
              name: 'mode',
              type: onnx.AttributeProto.AttributeType.STRING,
              s: new TextEncoder().encode('reflect'),
            },
          ],
        },
        {
          opType: 'Conv',
          input: ['padded', 'dog'],
          output: ['heatmap'],
          attribute: [
            {
              name: 'kernel_shape',
              type: onnx.AttributeProto.AttributeType.INTS,
              ints: [KERNEL, KERNEL],
            },
          ],
        },
        { opType: 'GlobalMaxPool', input: ['heatmap'], output: ['peak'] },
        {
          opType: 'Flatten',
          input: ['peak'],
          output: ['peak_flat'],
          attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
        },
        { opType: 'Mul', input: ['peak_flat', 'scale'], output: ['scaled'] },
        { opType: 'Add', input: ['scaled', 'bias'], output: ['scores'] },
        // mask logits: scale × (heatmap − peak / 2), so the sigmoid is ≥ 0.5 at half-maximum
        { opType: 'Mul', input: ['peak', 'half'], output: ['half_peak'] },
        { opType: 'Sub', input: ['heatmap', 'half_peak'], output: ['above_half'] },
        { opType: 'Mul', input: ['above_half', 'scale'], output: ['mask'] },
      ],
      input: [io('image', ['N', 1, DEMO_INPUT_SIZE, DEMO_INPUT_SIZE])],
      output: [
        io('scores', ['N', 1]),
        io('heatmap', ['N', 1, DEMO_INPUT_SIZE, DEMO_INPUT_SIZE]),
        io('mask', ['N', 1, DEMO_INPUT_SIZE, DEMO_INPUT_SIZE]),
      ],
    },
  })
  return onnx.ModelProto.encode(model).finish()
}
