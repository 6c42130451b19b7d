import { defineConfig } from 'tsup'
import { base } from '../../tsup.base.js'

export default defineConfig({
  ...base,
  entry: {
    index: 'src/index.ts',
    'deid/index': 'src/deid/index.ts',
    // deidentifyFiles' worker thread, found beside the built chunks (workerPool.ts)
    'deid/worker': 'src/deid/files/deidWorker.ts',
    ehr: 'src/ehr.ts',
  },
  dts: { entry: { index: 'src/index.ts', 'deid/index': 'src/deid/index.ts', ehr: 'src/ehr.ts' } },
})
