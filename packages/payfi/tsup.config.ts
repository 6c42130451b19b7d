import { defineConfig } from 'tsup'
import { base } from '../../tsup.base.js'

export default defineConfig({
  ...base,
  entry: {
    index: 'src/index.ts',
    'postgres/index': 'src/postgres/index.ts',
    'evm/index': 'src/evm/index.ts',
  },
})
