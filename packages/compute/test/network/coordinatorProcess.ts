// A coordinator in its own process, for the kill -9 test: `tsx coordinatorProcess.ts <redis> <port>`.
import { createCoordinator } from '../../src/network/index.js'

const [redis, port] = process.argv.slice(2)
const c = await createCoordinator({ redis: redis!, port: Number(port), pingEveryMs: 200 })
process.stdout.write(`ready ${c.url}\n`)
