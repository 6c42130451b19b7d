import { build, defineConfig } from 'tsup'
import { base } from '../../tsup.base.js'

const entry = {
  index: 'src/index.ts',
  'deid/index': 'src/deid/index.ts',
  // deidentifyFiles' worker thread, found beside the built chunks (workerPool.ts) and exported
  // as @btt/connectors/deid/worker
  'deid/worker': 'src/deid/files/deidWorkerMain.ts',
  ehr: 'src/ehr.ts',
}

export default defineConfig({
  ...base,
  entry,
  // fhir-kit-client is ESM-only (its exports have no `require` condition), so `require` of the
  // CJS ./ehr failed with ERR_PACKAGE_PATH_NOT_EXPORTED: the CJS ehr entry is rebuilt with it
  // (and its own dependencies) bundled in. The ESM build imports it.
  async onSuccess() {
    await build({
      config: false,
      ...base,
      entry: { ehr: entry.ehr },
      format: ['cjs'],
      dts: false,
      clean: false,
      silent: true,
      noExternal: ['fhir-kit-client'],
    })
  },
})
