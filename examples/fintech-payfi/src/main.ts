// pnpm --filter @btt/example-fintech-payfi start
// Starts a local chain (anvil, from npm) and the PayFi API on loopback with random ports, takes a
// CNY payment for a clinic over HTTP, verifies its signed webhook, settles it on anvil,
// reconciles, then stops everything.
import { startAnvil } from '@btt/testing'
import { runFlow } from './flow.js'

const anvil = await startAnvil()
try {
  console.log(`anvil on ${anvil.rpcUrl} (chain ${anvil.chainId})`)
  const summary = await runFlow({
    rpcUrl: anvil.rpcUrl,
    privateKeys: anvil.privateKeys,
    log: (l) => console.log(l),
  })
  if (summary.differences.length > 0) process.exitCode = 1
} finally {
  await anvil.stop()
}
