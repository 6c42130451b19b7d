import { defineConfig } from 'tsup'
import { base } from '../../tsup.base.js'

export default defineConfig({
  ...base,
  entry: { index: 'src/index.ts', 'deid/index': 'src/deid/index.ts', ehr: 'src/ehr.ts' },
})
