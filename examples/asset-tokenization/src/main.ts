// pnpm --filter @btt/example-asset-tokenization start
// Starts a local chain (anvil, from npm) on loopback, runs the whole flow, stops the chain.
import { startAnvil } from '@btt/testing'
import { runFlow } from './flow.js'
import { formatAmount } from './format.js'

const anvil = await startAnvil()
try {
  const summary = await runFlow({
    rpcUrl: anvil.rpcUrl,
    privateKeys: anvil.privateKeys,
    log: (l) => console.log(l),
  })
  console.log(
    `ledger fees: ${Object.entries(summary.ledgerFees)
      .map(([k, v]) => `${k.split(' ')[0]} ${formatAmount(v, k.endsWith('BTT') ? 'BTT' : 'CNY')}`)
      .join(', ')}`,
  )
  console.log(
    `rent distributed: ${formatAmount(summary.distributed, 'BTT')} to ${summary.distribution.length} holders (exact)`,
  )
} finally {
  await anvil.stop()
}
