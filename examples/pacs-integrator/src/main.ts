import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runPacsIntegrator } from './run.js'

// Usage: pnpm --filter @btt/example-pacs-integrator start [folder] [--dicomweb <url>] [--no-orthanc]
// Without --dicomweb, an Orthanc is started on loopback when it is installed (and stopped after).
// (`pnpm start -- --flag` passes the `--` through: it is not a positional here)
const args = process.argv.slice(2).filter((a, i) => i > 0 || a !== '--')
const { values, positionals } = (() => {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { dicomweb: { type: 'string' }, 'no-orthanc': { type: 'boolean', default: false } },
    })
  } catch (error) {
    console.error((error as Error).message)
    process.exit(2)
  }
})()
if (values.dicomweb !== undefined && !/^https?:\/\/[^/]/.test(values.dicomweb)) {
  console.error(`--dicomweb must be an http(s) URL, got ${values.dicomweb}`)
  process.exit(2)
}
const dir = positionals[0] ?? mkdtempSync(join(tmpdir(), 'btt-pacs-integrator-'))
const lines = await runPacsIntegrator(dir, {
  ...(values.dicomweb ? { dicomweb: values.dicomweb } : {}),
  orthanc: !values['no-orthanc'],
})
for (const line of lines) console.log(line)
console.log(`files in ${dir}`)
