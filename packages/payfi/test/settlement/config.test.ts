import { defaultConfig, defineConfig } from '@btt/core'
import { expect, test } from 'vitest'
import {
  createSettlement,
  createSimulatedChain,
  openSqliteLedger,
  type SettlementOptions,
  settlementDefaults,
} from '../../src/index.js'
import { addressOf, capturePayments } from './helpers.js'

const operator = `0x${'0f'.repeat(20)}`
const token = `0x${'c0'.repeat(20)}`

/** Settles one captured payment; answers the batch's depth on chain when it was confirmed. */
async function depthAtConfirmation(options: Partial<SettlementOptions>) {
  const store = openSqliteLedger(':memory:')
  const chain = createSimulatedChain({ operator })
  chain.fund(token, operator, 10n ** 15n)
  let depth = 0
  const settlement = createSettlement(store, {
    chain,
    assets: { CNY: { token, decimals: 2 } },
    payees: { clinic_a: addressOf(1) },
    pollMs: 1,
    ...options,
    onStep: async (step) => {
      if (step !== 'confirmed') return
      // read without mining (inspect() mines a block on the simulated chain)
      const [event] = await chain.payoutEvents()
      depth = chain.height - event!.blockNumber + 1
    },
  })
  await capturePayments(store, [{ merchant: 'clinic_a', amount: 10_000n }])
  const run = await settlement.run()
  expect(run.batches.map((b) => b.status)).toEqual(['posted'])
  await store.close()
  return depth
}

test("the settlement defaults are @btt/core's versioned config", () => {
  expect(settlementDefaults).toEqual({
    intervalMs: defaultConfig.settlement.intervalSeconds * 1000,
    confirmations: defaultConfig.settlement.confirmations,
    confirmTimeoutMs: defaultConfig.settlement.confirmTimeoutSeconds * 1000,
    pollMs: 1000,
  })
  expect(settlementDefaults.intervalMs).toBe(3_600_000) // hourly: paid within one to two hours
})

test('a config sets the confirmations; an explicit option wins over it', async () => {
  // the simulated chain mines at each read and a batch is first reported mined, then confirmed at
  // a later read, so a depth below 3 is never observed
  const byDefault = await depthAtConfirmation({})
  expect(byDefault).toBeGreaterThanOrEqual(defaultConfig.settlement.confirmations)
  expect(byDefault).toBeLessThan(4)
  const config = defineConfig({ settlement: { confirmations: 6 } })
  expect(await depthAtConfirmation({ config })).toBe(6)
  expect(await depthAtConfirmation({ config, confirmations: 4 })).toBe(4)
})

test('a settlement config that does not pass its schema is refused with a coded error', () => {
  const store = openSqliteLedger(':memory:')
  const chain = createSimulatedChain({ operator })
  for (const settlement of [
    undefined,
    { ...defaultConfig.settlement, confirmations: 0 },
    { ...defaultConfig.settlement, intervalSeconds: -1 },
    { ...defaultConfig.settlement, maxPendingSeconds: 1 },
  ])
    expect(() =>
      createSettlement(store, {
        chain,
        assets: {},
        payees: {},
        config: { settlement } as never,
      }),
    ).toThrow(expect.objectContaining({ code: 'PAYFI_INVALID_ARGUMENT' }))
})
