// Gas of the permissioned token against a plain OpenZeppelin ERC-20, and of an income
// distribution per holder. Gas is deterministic for the same contracts and EVM, so one run gives
// the figures. Starts its own anvil (npm) on loopback.
//   pnpm --filter @btt/tokenize gas-report
import { ONE_TOKEN } from '@btt/core'
import { openSqliteLedger } from '@btt/payfi'
import { connectChain } from '@btt/payfi/evm'
import { startAnvil } from '@btt/testing'
import { Wallet } from 'ethers'
import { contract } from '../src/chain.js'
import {
  approve,
  deploySettlementToken,
  deployTokenization,
  distributeIncome,
  registerAsset,
  tokenizeAsset,
  verifyInvestor,
} from '../src/index.js'

const anvil = await startAnvil()
const ledger = openSqliteLedger(':memory:')
try {
  const chain = await connectChain({ rpcUrl: anvil.rpcUrl, privateKey: anvil.privateKeys[0]! })
  const me = chain.address
  const currency = await deploySettlementToken(chain, { mint: { [me]: 10n ** 30n } })
  const deployment = await deployTokenization(chain, { currency })
  const t = { chain, deployment, ledger }
  const year = Date.now() + 365 * 86_400_000
  await verifyInvestor(t, { investor: me, country: 156, accredited: true, expiresAt: year })
  await registerAsset(t, {
    id: 'gas',
    type: 'equipment',
    owner: me,
    currency: 'CNY',
    tier: { complexity: 'low', regulatory: 'standard', assetClass: 'standard' },
    valuation: { value: 100_000_000n, date: Date.now() - 1000, method: 'cost', appraiser: 'a' },
  })
  const { token } = await tokenizeAsset(t, {
    assetId: 'gas',
    supply: 10n ** 9n * ONE_TOKEN,
    name: 'Gas',
    symbol: 'GAS',
  })
  const asset = contract(chain, 'AssetToken', token)
  const plain = contract(chain, 'SettlementToken', currency)
  const registry = contract(chain, 'IdentityRegistry', deployment.identityRegistry)
  const gas = async (p: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
    (await (await p).wait())!.gasUsed
  const verify = (a: string) =>
    gas(registry.getFunction('registerIdentity')(a, 156, true, BigInt(Math.floor(year / 1000))))
  const send = (c: typeof asset, to: string) => gas(c.getFunction('transfer')(to, ONE_TOKEN))

  const rows: [string, bigint, bigint][] = []
  const a = Wallet.createRandom().address
  await verify(a)
  rows.push(['transfer to a new holder', await send(plain, a), await send(asset, a)])
  rows.push(['transfer to an existing holder', await send(plain, a), await send(asset, a)])
  console.log('| transfer | plain ERC-20 (OpenZeppelin) | AssetToken with compliance | ratio |')
  console.log('| --- | --- | --- | --- |')
  for (const [what, p, c] of rows)
    console.log(`| ${what} | ${p} | ${c} | ${(Number(c) / Number(p)).toFixed(2)} |`)

  await approve(t, { token: currency, amount: 10n ** 30n, spender: 'distributor' })
  const dist: [number, bigint][] = []
  let holders = 1
  for (const n of [1, 10, 50, 200]) {
    while (holders < n) {
      const h = Wallet.createRandom().address
      await verify(h)
      await send(asset, h)
      holders++
    }
    const recordBlock = await chain.provider.getBlockNumber()
    await chain.provider.send('evm_mine', [])
    const r = await distributeIncome(t, { token, recordBlock, total: 10n ** 24n + 7n })
    dist.push([r.shares.length, r.gasUsed])
  }
  console.log(
    '\n| holders (first income they receive) | distribution gas | per holder | marginal per holder |',
  )
  console.log('| --- | --- | --- | --- |')
  let prev: [number, bigint] | undefined
  for (const [n, g] of dist) {
    const marginal = prev ? ((Number(g) - Number(prev[1])) / (n - prev[0])).toFixed(0) : '—'
    console.log(`| ${n} | ${g} | ${(Number(g) / n).toFixed(0)} | ${marginal} |`)
    prev = [n, g]
  }
  // the same holders again (their settlement balances exist now): one transaction, then batches
  for (const batchSize of [1000, 70]) {
    const recordBlock = await chain.provider.getBlockNumber()
    await chain.provider.send('evm_mine', [])
    const r = await distributeIncome(t, { token, recordBlock, total: 10n ** 24n + 7n, batchSize })
    const n = r.shares.length
    console.log(
      `The same ${n} holders again, ${r.hashes.length === 1 ? 'one transaction' : `${r.hashes.length} batches of at most ${batchSize}`}: ${r.gasUsed} gas, ${(Number(r.gasUsed) / n).toFixed(0)} per holder.`,
    )
  }
  chain.provider.destroy()
} finally {
  await ledger.close()
  await anvil.stop()
}
