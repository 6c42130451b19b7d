import { defineConfig } from 'tsup'
import { base } from '../../tsup.base.js'

// neutral platform, no shims: @btt/core runs in browsers too
export default defineConfig({
  ...base,
  entry: ['src/index.ts', 'src/errors.ts'],
  platform: 'neutral',
  shims: false,
})
