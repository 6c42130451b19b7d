// A coordinator on Redis in its own process, for the tests that run several coordinator
// processes: `tsx coordinatorProcess.ts <redis> <port>`, or `tsx coordinatorProcess.ts <json>`
// with `{ redis, port?, verifyFraction?, seed?, pingEveryMs? }`. It prints `ready <url>` (and
// sends `{ url }` over IPC when it has a channel); over IPC `{ audit: true }` runs one round of
// known-answer audits and `{ ping: true }` pings every node, each answered when done.
import { createCoordinator } from '../../src/network/index.js'

const [first, second] = process.argv.slice(2)
const o = first!.startsWith('{')
  ? (JSON.parse(first!) as {
      redis: string
      port?: number
      verifyFraction?: number
      seed?: number
      pingEveryMs?: number
    })
  : { redis: first!, port: Number(second) }

function seeded(seed: number) {
  let x = seed
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648
    return x / 2147483648
  }
}

const c = await createCoordinator({
  redis: o.redis,
  port: o.port ?? 0,
  pingEveryMs: o.pingEveryMs ?? 200,
  ...(o.verifyFraction !== undefined ? { verifyFraction: o.verifyFraction } : {}),
  ...(o.seed !== undefined ? { random: seeded(o.seed) } : {}),
})
process.stdout.write(`ready ${c.url}\n`)
if (process.send) {
  process.on('message', (m: { audit?: true; ping?: true }) => {
    const work = m.audit ? c.audit() : c.ping()
    work.then(
      () => process.send!({ done: true }),
      (error: Error) => process.send!({ error: error.message }),
    )
  })
  process.on('SIGTERM', async () => {
    await c.close()
    process.exit(0)
  })
  process.send({ url: c.url })
}
