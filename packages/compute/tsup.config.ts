import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts', 'src/testing/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  shims: true,
  target: 'es2022',
  platform: 'node',
  external: ['onnxruntime-node', 'dcmjs', 'dcmjs-codecs', 'onnx-proto'],
})
