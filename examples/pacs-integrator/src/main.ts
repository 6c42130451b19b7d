import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { imagingWalkthrough } from './imaging.js'

// Usage: pnpm --filter @btt/example-imaging start [folder]   (a temporary folder when omitted)
const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'btt-imaging-'))
for (const line of await imagingWalkthrough(dir)) console.log(line)
