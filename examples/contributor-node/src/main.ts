import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runContributorNode } from './contributorNode.js'

// Usage: pnpm --filter @btt/example-contributor-node start [folder]
//          [--coordinator <url> [--api-key <clinic key>] [--region cn-east]]
// Without --coordinator, a coordinator is started in this process, a job is sent and the epoch
// closed; the example then ends. With --coordinator, the node keeps serving until Ctrl-C.
// (`pnpm start -- --flag` passes the `--` through: it is not a positional here)
const args = process.argv.slice(2).filter((a, i) => i > 0 || a !== '--')
const { values, positionals } = (() => {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        coordinator: { type: 'string' },
        'api-key': { type: 'string' },
        region: { type: 'string', default: 'cn-east' },
      },
    })
  } catch (error) {
    console.error((error as Error).message)
    process.exit(2)
  }
})()
if (values.coordinator !== undefined && !/^https?:\/\/[^/]/.test(values.coordinator)) {
  console.error(`--coordinator must be an http(s) URL, got ${values.coordinator}`)
  process.exit(2)
}
if (values['api-key'] !== undefined && values.coordinator === undefined) {
  console.error('--api-key is for the coordinator given with --coordinator')
  process.exit(2)
}
const dir = positionals[0] ?? mkdtempSync(join(tmpdir(), 'btt-contributor-node-'))
const node = await runContributorNode({
  dir,
  region: values.region,
  ...(values.coordinator ? { coordinator: values.coordinator } : {}),
  ...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
  say: (line) => console.log(line),
})
if (values.coordinator) {
  console.log('serving jobs (Ctrl-C to stop)')
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
}
await node.close()
console.log(`files in ${dir}`)
