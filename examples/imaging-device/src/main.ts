import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runImagingDevice } from './imagingDevice.js'

// Usage: pnpm --filter @btt/example-imaging-device start [folder]   (a temporary folder when omitted)
// Starts a BTT gateway and the modality's results receiver on loopback, sends a study, prints
// the findings from the SR that came back, and stops both.
const arg = process.argv.slice(2).filter((a) => a !== '--')
if (arg.length > 1 || arg[0]?.startsWith('-')) {
  console.error('usage: start [folder]')
  process.exit(2)
}
const dir = arg[0] ?? mkdtempSync(join(tmpdir(), 'btt-imaging-device-'))
for (const line of await runImagingDevice(dir)) console.log(line)
