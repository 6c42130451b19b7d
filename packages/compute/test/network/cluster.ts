import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Wallet } from 'ethers'
import { type LoadedModel, loadModel } from '../../src/model/loadModel.js'
import type { Tensor } from '../../src/network/frame.js'
import {
  type ComputeNode,
  type Coordinator,
  type CreateCoordinatorOptions,
  type CreateNodeOptions,
  createApiKey,
  createCoordinator,
  createNode,
} from '../../src/network/index.js'

const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof import('onnx-proto')

/** A trivially small model built in memory: scores = sigmoid(mean of an 8×8 image). */
export async function tinyModel(): Promise<{ model: LoadedModel; manifest: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'btt-tiny-'))
  const T = onnx.TensorProto.DataType
  const io = (name: string, dims: (number | string)[]) => ({
    name,
    type: {
      tensorType: {
        elemType: T.FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  })
  const bytes = onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'tiny',
        node: [
          {
            opType: 'ReduceMean',
            input: ['image'],
            output: ['m'],
            attribute: [
              { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [2, 3] },
              { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
            ],
          },
          { opType: 'Sigmoid', input: ['m'], output: ['scores'] },
        ],
        input: [io('image', ['N', 1, 8, 8])],
        output: [io('scores', ['N', 1])],
      },
    }),
  ).finish()
  writeFileSync(join(dir, 'model.onnx'), bytes)
  const manifest = {
    id: 'btt.tiny-test',
    name: 'tiny',
    version: '1.0.0',
    intendedUse: 'tests only',
    model: 'model.onnx',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    modalities: ['CR'],
    input: { name: 'image', shape: [-1, 1, 8, 8], layout: 'NCHW', dtype: 'float32' },
    preprocessing: {
      window: { mode: 'dicom' },
      interpolation: 'area',
      normalize: { mean: [0.5], std: [0.25] },
    },
    outputs: [{ name: 'scores', kind: 'scores', labels: ['x'], activation: 'none' }],
    findings: [{ label: 'x', output: 'scores', threshold: 0.5 }],
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  const model = await loadModel(join(dir, 'manifest.json'), { backend: 'cpu', intraOpThreads: 1 })
  return { model, manifest: join(dir, 'manifest.json'), dir }
}

/** A random input for the tiny model. */
export function tinyInput(seed: number): Tensor {
  const data = new Float32Array(64)
  let x = seed * 2654435761
  for (let i = 0; i < 64; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    data[i] = x / 2147483648 - 0.5
  }
  return { name: 'image', dims: [1, 1, 8, 8], data }
}

/** A coordinator (in process or on Redis), a clinic key and `n` nodes; `stop()` ends them all. */
export type Cluster = {
  coordinator: Coordinator
  nodes: ComputeNode[]
  apiKey: string
  stop(): Promise<void>
}

export async function startCluster(
  model: LoadedModel,
  o: {
    coordinator?: CreateCoordinatorOptions
    nodes: (Partial<CreateNodeOptions> & { region?: string })[]
  },
): Promise<Cluster> {
  const coordinator = await createCoordinator({ pingEveryMs: 200, ...o.coordinator })
  const apiKey = await createApiKey(coordinator.store, 'clinic-a')
  const nodes: ComputeNode[] = []
  for (const n of o.nodes)
    nodes.push(
      await createNode({
        coordinator: coordinator.url,
        privateKey: Wallet.createRandom().privateKey,
        region: 'cn-east',
        models: [model],
        ...n,
      }),
    )
  return {
    coordinator,
    nodes,
    apiKey,
    async stop() {
      await Promise.all(nodes.map((n) => n.close()))
      await coordinator.close()
    },
  }
}

export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true })
