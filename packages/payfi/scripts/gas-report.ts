// Gas per payout: inside one BatchPayout transaction vs a plain ERC-20 transfer each, for
// recipients that already hold a balance and for new ones. Gas is deterministic for the same
// contracts and EVM, so one run gives the figure. Starts its own anvil (npm) on loopback.
//   pnpm --filter @btt/payfi gas-report
import { startAnvil } from '@btt/testing'
import { Wallet } from 'ethers'
import { attach, connectChain, deploy, payoutBatch } from '../src/evm/index.js'

const anvil = await startAnvil()
try {
  const chain = await connectChain({ rpcUrl: anvil.rpcUrl, privateKey: anvil.privateKeys[0]! })
  const stable = await deploy(chain, 'TestStablecoin', ['Test CNY', 'tCNY', 2, chain.address])
  const batchPayout = await deploy(chain, 'BatchPayout', [chain.address])
  const token = attach(chain, 'TestStablecoin', stable)
  await (await token.getFunction('mint')(chain.address, 10n ** 15n)).wait()
  const transfer = async (to: string) =>
    (await (await token.getFunction('transfer')(to, 100n)).wait())!.gasUsed as bigint
  const rows: string[] = []
  for (const n of [10, 50, 200]) {
    const fresh = Array.from({ length: n }, () => Wallet.createRandom().address)
    // plain transfers: to new holders, then again to the same (now existing) holders
    let plainNew = 0n
    for (const to of fresh.slice(0, 10)) plainNew += await transfer(to)
    let plainExisting = 0n
    for (const to of fresh.slice(0, 10)) plainExisting += await transfer(to)
    // a batch to new holders (the first 10 already hold a balance: use others)
    const newbies = Array.from({ length: n }, () => Wallet.createRandom().address)
    const batchNew = await payoutBatch(chain, {
      batchPayout,
      token: stable,
      batchId: `new-${n}`,
      payouts: newbies.map((to) => ({ to, amount: 100n })),
    })
    const batchExisting = await payoutBatch(chain, {
      batchPayout,
      token: stable,
      batchId: `existing-${n}`,
      payouts: newbies.map((to) => ({ to, amount: 100n })),
    })
    const per = (g: bigint, k: number) => Number(g) / k
    rows.push(
      `| ${n} | ${per(plainExisting, 10).toFixed(0)} | ${per(batchExisting.gasUsed, n).toFixed(0)} | ${(per(batchExisting.gasUsed, n) / per(plainExisting, 10)).toFixed(2)} | ${per(plainNew, 10).toFixed(0)} | ${per(batchNew.gasUsed, n).toFixed(0)} | ${(per(batchNew.gasUsed, n) / per(plainNew, 10)).toFixed(2)} |`,
    )
  }
  console.log(
    '| batch size | plain transfer, existing holder | batch, per existing holder | ratio | plain transfer, new holder | batch, per new holder | ratio |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- |')
  for (const r of rows) console.log(r)
} finally {
  await anvil.stop()
}
