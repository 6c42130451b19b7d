import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ehrPluginWalkthrough } from './ehrPlugin.js'

// Usage: pnpm --filter @btt/example-ehr-plugin start [folder]   (a temporary folder when omitted)
// Starts Medplum's FHIR engine and a SMART authorization server on loopback, runs the plugin
// against them, and stops them.
const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'btt-ehr-'))
for (const line of await ehrPluginWalkthrough(dir)) console.log(line)
