import { describe, expect, test } from 'vitest'
import {
  convertUnits,
  createSettlement,
  createSimulatedChain,
  openSqliteLedger,
  PayfiError,
  reconcile,
  type SettlementOptions,
} from '../../src/index.js'
import { addressOf, capturePayments, chainPayouts, owed } from './helpers.js'

const operator = `0x${'0f'.repeat(20)}`
const token = `0x${'c0'.repeat(20)}`
const payees = { clinic_a: addressOf(1), clinic_b: addressOf(2), clinic_c: addressOf(3) }

function setup(options: Partial<SettlementOptions> = {}, fund = 10n ** 15n) {
  const store = openSqliteLedger(':memory:')
  const chain = createSimulatedChain({ operator })
  chain.fund(token, operator, fund)
  const settlement = createSettlement(store, {
    chain,
    assets: { CNY: { token, decimals: 2 } },
    payees,
    pollMs: 1,
    ...options,
  })
  return { store, chain, settlement }
}

describe('settlement on the simulated chain', () => {
  test('a run pays each merchant its captured net once, posts at the confirmations, and a second run finds nothing', async () => {
    const { store, chain, settlement } = setup()
    expect(chain.label).toMatch(/SIMULATED/)
    const net = await capturePayments(store, [
      { merchant: 'clinic_a', amount: 100_000n },
      { merchant: 'clinic_b', amount: 55_555n },
      { merchant: 'clinic_a', amount: 1_234n },
    ])
    const run = await settlement.run()
    expect(run.chain).toBe('SIMULATED chain (in-process, no real funds)')
    expect(run.batches.map((b) => b.status)).toEqual(['posted'])
    expect(run.batches[0]!.payouts).toBe(2)
    for (const [m, amount] of net) {
      expect(await chain.balanceOf(token, payees[m as keyof typeof payees])).toBe(amount)
      expect(await owed(store, m)).toBe(0n)
    }
    const total = [...net.values()].reduce((s, x) => s + x, 0n)
    expect(await chainPayouts(store)).toEqual({ posted: total, pending: 0n })
    expect((await settlement.run()).batches).toEqual([])
    expect(await settlement.recover()).toEqual([])
    const report = await reconcile(store, { chain, assets: settlement.assets })
    expect(report.differences).toEqual([])
    expect(report.batches).toMatchObject({ posted: 1, pending: 0, chainEvents: 1 })
  })

  test('nothing owed: a run makes no batch and writes nothing', async () => {
    const { store, settlement } = setup()
    expect(await settlement.run()).toMatchObject({ batches: [] })
    expect(await store.queryTransfers({})).toEqual([])
  })

  test('a dropped transaction is sent again; the batch is paid once', async () => {
    const { store, chain, settlement } = setup({
      onStep: (step) => {
        if (step === 'sent' && !dropped) {
          dropped = true
          chain.drop(lastHash())
          chain.setAutoMine(true)
        }
      },
    })
    let dropped = false
    const lastHash = () => hashes.at(-1)!
    const hashes: string[] = []
    const send = chain.send.bind(chain)
    chain.send = async (b, o) => {
      const r = await send(b, o)
      hashes.push(r.transactionHash)
      return r
    }
    chain.setAutoMine(false)
    const net = await capturePayments(store, [{ merchant: 'clinic_a', amount: 10_000n }])
    const run = await settlement.run()
    expect(run.batches[0]).toMatchObject({ status: 'posted', sends: 2 })
    expect(await chain.balanceOf(token, payees.clinic_a)).toBe(net.get('clinic_a'))
    expect((await chain.payoutEvents()).length).toBe(1)
  })

  test('a reorg that takes the mined payout away before its confirmations re-sends it; paid once, posted once', async () => {
    let reorged = false
    const { store, chain, settlement } = setup({
      confirmations: 3,
      onStep: (step) => {
        if (step === 'mined' && !reorged) {
          reorged = true
          chain.reorg(2) // the block with the payout and the one on top
        }
      },
    })
    const net = await capturePayments(store, [{ merchant: 'clinic_b', amount: 10_000n }])
    const run = await settlement.run()
    expect(reorged).toBe(true)
    expect(run.batches[0]).toMatchObject({ status: 'posted', sends: 2 })
    expect(await chain.balanceOf(token, payees.clinic_b)).toBe(net.get('clinic_b'))
    expect((await reconcile(store, { chain, assets: settlement.assets })).differences).toEqual([])
  })

  test('a node that fails reads and sends for a while (unknown outcomes): the batch is still paid once', async () => {
    const { store, chain, settlement } = setup()
    const net = await capturePayments(store, [{ merchant: 'clinic_a', amount: 4_321n }])
    const down = (what: string) =>
      new PayfiError('PAYFI_CHAIN_UNAVAILABLE', `node down (${what})`, { details: {} })
    let inspects = 0
    let sends = 0
    const inspect = chain.inspect.bind(chain)
    const send = chain.send.bind(chain)
    chain.inspect = async (id) => {
      if (++inspects % 3 === 0) throw down('inspect')
      return inspect(id)
    }
    chain.send = async (b, o) => {
      // the first send reaches the node but its answer is lost
      const r = await send(b, o)
      if (++sends === 1) throw down('send')
      return r
    }
    const run = await settlement.run()
    expect(run.batches).toMatchObject([{ status: 'posted' }])
    expect(await chain.balanceOf(token, payees.clinic_a)).toBe(net.get('clinic_a'))
    expect((await chain.payoutEvents()).length).toBe(1)
  })

  test('a batch the chain refuses (operator unfunded) is voided and owed again', async () => {
    const { store, chain, settlement } = setup({}, 0n)
    const net = await capturePayments(store, [{ merchant: 'clinic_c', amount: 10_000n }])
    const run = await settlement.run()
    expect(run.batches[0]).toMatchObject({ status: 'voided' })
    expect(await owed(store, 'clinic_c')).toBe(net.get('clinic_c'))
    expect(await chainPayouts(store)).toEqual({ posted: 0n, pending: 0n })
    chain.fund(token, operator, 10n ** 9n)
    expect((await settlement.run()).batches[0]).toMatchObject({ status: 'posted' })
    expect(await chain.balanceOf(token, payees.clinic_c)).toBe(net.get('clinic_c'))
  })

  test('two runs at once on one ledger: one pays, the other finds nothing to do', async () => {
    const { store, chain } = setup()
    const net = await capturePayments(store, [
      { merchant: 'clinic_a', amount: 20_000n },
      { merchant: 'clinic_b', amount: 30_000n },
    ])
    const make = () =>
      createSettlement(store, { chain, assets: { CNY: { token, decimals: 2 } }, payees, pollMs: 1 })
    const [r1, r2] = await Promise.all([make().run(), make().run()])
    expect([r1.batches.length, r2.batches.length].sort()).toEqual([0, 1])
    for (const [m, amount] of net)
      expect(await chain.balanceOf(token, payees[m as keyof typeof payees])).toBe(amount)
    expect((await chain.payoutEvents()).length).toBe(1)
  })

  test('an asset with fewer decimals pays the exact part and leaves the dust owed; a lossy conversion is refused', async () => {
    const { store, chain, settlement } = setup({ assets: { CNY: { token, decimals: 1 } } })
    const net = (await capturePayments(store, [{ merchant: 'clinic_a', amount: 10_007n }])).get(
      'clinic_a',
    )!
    await settlement.run()
    expect(await chain.balanceOf(token, payees.clinic_a)).toBe(net / 10n)
    expect(await owed(store, 'clinic_a')).toBe(net % 10n)
    expect(() => convertUnits({ amount: 12_345n, from: 2, to: 1 })).toThrow(
      expect.objectContaining({ code: 'PAYFI_LOSSY_CONVERSION' }),
    )
    expect(convertUnits({ amount: 12_345n, from: 2, to: 18 })).toBe(12_345n * 10n ** 16n)
  })

  test('a scheduled settlement runs, never overlaps, and stops', async () => {
    const { store, chain, settlement } = setup({ intervalMs: 1000 })
    const net = await capturePayments(store, [{ merchant: 'clinic_b', amount: 5_000n }])
    settlement.start()
    settlement.start() // a second start does not start a second loop
    for (let i = 0; i < 200 && (await owed(store, 'clinic_b')) > 0n; i++)
      await new Promise((r) => setTimeout(r, 10))
    await settlement.stop()
    expect(await chain.balanceOf(token, payees.clinic_b)).toBe(net.get('clinic_b'))
    expect((await chain.payoutEvents()).length).toBe(1)
  })

  test('recover() finishes a batch without the registry: a paid one is posted, an unpaid one is sent to its recorded addresses', async () => {
    const stopAt = (step: string) => (s: string) => {
      if (s === step) throw new Error(`stopped at ${step}`)
    }
    for (const step of ['confirmed', 'reserved'] as const) {
      const { store, chain } = setup()
      const net = await capturePayments(store, [{ merchant: 'clinic_a', amount: 9_000n }])
      const base = { chain, assets: { CNY: { token, decimals: 2 } }, pollMs: 1 }
      await expect(
        createSettlement(store, { ...base, payees, onStep: stopAt(step) }).run(),
      ).rejects.toThrow(`stopped at ${step}`)
      const forgetful = createSettlement(store, { ...base, payees: {} })
      expect(await forgetful.recover()).toMatchObject([{ status: 'posted' }])
      expect(await chain.balanceOf(token, payees.clinic_a)).toBe(net.get('clinic_a'))
      expect((await chain.payoutEvents()).length).toBe(1)
    }
  })

  test('bad options are refused with a coded error', () => {
    const store = openSqliteLedger(':memory:')
    const chain = createSimulatedChain({ operator })
    for (const bad of [
      { chain, assets: { CNY: { token: 'nope', decimals: 2 } }, payees },
      { chain, assets: { CNY: { token, decimals: 2 } }, payees: { a: '0x12' } },
      { chain, assets: { XYZ: { token, decimals: 2 } }, payees },
      { chain: {}, assets: {}, payees },
      { chain, assets: {}, payees, confirmations: 0 },
    ])
      expect(() => createSettlement(store, bad as never)).toThrow(
        expect.objectContaining({ code: 'PAYFI_INVALID_ARGUMENT' }),
      )
    expect(() =>
      createSettlement({} as never, { chain, assets: { CNY: { token, decimals: 2 } }, payees }),
    ).toThrow(expect.objectContaining({ code: 'PAYFI_INVALID_ARGUMENT' }))
  })
})
