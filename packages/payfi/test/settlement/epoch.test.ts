import { useAnvil } from '@btt/testing'
import { MaxUint256 } from 'ethers'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { attach, createEvmSettlementChain, deployBtt } from '../../src/evm/index.js'
import {
  createSettlement,
  createSimulatedChain,
  type EpochStatement,
  epochStatementHash,
  openSqliteLedger,
  parseEpochStatement,
  reconcile,
  settleEpoch,
  settlementIds,
} from '../../src/index.js'
import { type EvmFixture, evmFixture } from './evmSetup.js'
import { addressOf } from './helpers.js'

function statement(
  epochId: string,
  nodes: number,
  currency: 'CNY' | 'USD' = 'CNY',
): EpochStatement {
  const list = Array.from({ length: nodes }, (_, i) => ({
    address: addressOf(500 + i),
    revenueShare: String(1000 + i * 7),
    emission: i % 3 === 2 ? '0' : String(10n ** 18n + BigInt(i)),
  }))
  const body = {
    version: 1 as const,
    epochId,
    currency,
    nodes: list,
    totals: {
      revenueShare: String(list.reduce((s, n) => s + BigInt(n.revenueShare), 0n)),
      emission: String(list.reduce((s, n) => s + BigInt(n.emission), 0n)),
    },
  }
  return { ...body, contentHash: epochStatementHash(body) }
}

describe('compute epoch statements', () => {
  test('a statement that does not add up, repeats a node or has another hash is refused', () => {
    const good = statement('e1', 3)
    expect(parseEpochStatement(JSON.parse(JSON.stringify(good)))).toEqual(good)
    const totals = { ...good, totals: { ...good.totals, emission: '1' } }
    const dup = { ...good, nodes: [good.nodes[0]!, good.nodes[0]!, good.nodes[2]!] }
    const rehashed = (s: object) => ({ ...s, contentHash: epochStatementHash(s as EpochStatement) })
    for (const bad of [
      totals,
      rehashed(totals),
      rehashed(dup),
      { ...good, contentHash: 'f'.repeat(64) },
    ])
      expect(() => parseEpochStatement(bad)).toThrow(
        expect.objectContaining({ code: 'PAYFI_STATEMENT_INVALID' }),
      )
    for (const bad of [
      { ...good, version: 2 },
      { ...good, currency: 'BTT' },
      { ...good, nodes: [] },
      { ...good, epochId: 'has space' },
      { ...good, nodes: [{ ...good.nodes[0]!, revenueShare: '-1' }] },
      { ...good, nodes: [{ ...good.nodes[0]!, revenueShare: 1.5 }] },
      { ...good, extra: 'patient name' },
    ])
      expect(() => parseEpochStatement(bad)).toThrow(
        expect.objectContaining({ code: 'PAYFI_INVALID_ARGUMENT' }),
      )
  })

  test('settled on the simulated chain in two sets of batches (revenue share, BTT emission); settling it again pays nothing twice', async () => {
    const operator = `0x${'0f'.repeat(20)}`
    const cny = `0x${'c0'.repeat(20)}`
    const btt = `0x${'b7'.repeat(20)}`
    const chain = createSimulatedChain({ operator })
    chain.fund(cny, operator, 10n ** 12n)
    chain.fund(btt, operator, 10n ** 30n)
    const store = openSqliteLedger(':memory:')
    const settlement = createSettlement(store, {
      chain,
      assets: { CNY: { token: cny, decimals: 6 }, BTT: { token: btt, decimals: 18 } },
      payees: {},
      pollMs: 1,
    })
    const s = statement('epoch-7', 20) // more nodes than one batch carries
    const outcomes = await settleEpoch(store, settlement, s)
    expect(outcomes.map((o) => `${o.batchId}:${o.status}:${o.payouts}`)).toEqual([
      'e.epoch-7.CNY.0:posted:16',
      'e.epoch-7.CNY.1:posted:4',
      'e.epoch-7.BTT.0:posted:14', // nodes with zero emission are left out
    ])
    for (const n of s.nodes) {
      expect(await chain.balanceOf(cny, n.address)).toBe(BigInt(n.revenueShare) * 10n ** 4n)
      expect(await chain.balanceOf(btt, n.address)).toBe(BigInt(n.emission))
      const a = await store.getAccount(settlementIds.node(n.address, 'CNY'))
      expect(a!.creditsPosted - a!.debitsPosted).toBe(0n)
    }
    await settleEpoch(store, settlement, s)
    expect((await chain.payoutEvents()).length).toBe(3)
    expect((await reconcile(store, { chain, assets: settlement.assets })).differences).toEqual([])
    await expect(settleEpoch({} as never, settlement, s)).rejects.toMatchObject({
      code: 'PAYFI_INVALID_ARGUMENT',
    })
    expect(() => epochStatementHash({} as never)).toThrow(
      expect.objectContaining({ code: 'PAYFI_INVALID_ARGUMENT' }),
    )
    const empty = createSettlement(store, { chain, assets: {}, payees: {} })
    await expect(settleEpoch(store, empty, s)).rejects.toMatchObject({
      code: 'PAYFI_INVALID_ARGUMENT',
    })
  })
})

describe('compute epoch on anvil with the BTT token', () => {
  const anvil = useAnvil()
  let fx: EvmFixture
  let btt: string
  beforeAll(async () => {
    fx = await evmFixture(anvil().rpcUrl, anvil().privateKeys[0]!)
    // emission and the other plain-address entries of the allocation go to the deployer
    btt = (await deployBtt(fx.chain)).token
  }, 120_000)
  afterAll(() => fx?.chain.provider.destroy())

  test('revenue share in the stablecoin and emission in BTT reach each node; the ledger matches the chain', async () => {
    const { deploy } = await import('../../src/evm/index.js')
    const batchPayout = await deploy(fx.chain, 'BatchPayout', [fx.chain.address])
    for (const token of [fx.stable, btt])
      await (
        await attach(fx.chain, 'TestStablecoin', token).getFunction('approve')(
          batchPayout,
          MaxUint256,
        )
      ).wait(1, 30_000)
    const store = openSqliteLedger(':memory:')
    const chain = createEvmSettlementChain({ ...fx.chain, batchPayout })
    const settlement = createSettlement(store, {
      chain,
      assets: { CNY: { token: fx.stable, decimals: 6 }, BTT: { token: btt, decimals: 18 } },
      payees: {},
      confirmations: 1,
      pollMs: 20,
    })
    const s = statement('anvil-1', 4)
    expect((await settleEpoch(store, settlement, s)).map((o) => o.status)).toEqual([
      'posted',
      'posted',
    ])
    for (const n of s.nodes) {
      expect(await chain.balanceOf(fx.stable, n.address)).toBe(BigInt(n.revenueShare) * 10n ** 4n)
      expect(await chain.balanceOf(btt, n.address)).toBe(BigInt(n.emission))
    }
    expect((await reconcile(store, { chain, assets: settlement.assets })).differences).toEqual([])
  }, 120_000)
})
