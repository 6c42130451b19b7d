import { defineConfig } from 'tsup'
import { base } from '../../tsup.base.js'

export default defineConfig({
  ...base,
  entry: [
    'src/index.ts',
    'src/testing/index.ts',
    'src/dicom/part10/index.ts',
    'src/files/index.ts',
    'src/network/index.ts',
  ],
  external: [
    'onnxruntime-node',
    'dcmjs',
    'dcmjs-codecs',
    'dicom-parser',
    'onnx-proto',
    'better-sqlite3',
    'bullmq',
    'ioredis',
    'ethers',
  ],
})
