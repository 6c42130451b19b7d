import { defaultConfig, defineConfig, dividendShares, quoteCompute } from '@btt/core'
import { Wallet } from 'ethers'
import fc from 'fast-check'
import { beforeAll, expect, test } from 'vitest'
import { measuredGflopsPerWatt } from '../../src/coordinator/energy.js'
import {
  buildEpochStatement,
  type EpochReceipt,
  serializeStatement,
  signReceipt,
} from '../../src/network/index.js'

// signing is slow in JavaScript: a pool of receipts is signed once, properties pick from it
const wallets = Array.from({ length: 4 }, () => Wallet.createRandom())
const pool: EpochReceipt[] = []
beforeAll(async () => {
  for (let i = 0; i < 24; i++) {
    const w = wallets[i % 4]!
    const usage = {
      gpuSeconds: (i % 5) * 0.7,
      dataBytes: String(1000 * i),
      urgency: i % 3 ? 'routine' : 'stat',
    }
    const price = quoteCompute(defaultConfig.computePricing, {
      ...usage,
      dataBytes: BigInt(usage.dataBytes),
    })
    const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}`
    pool.push({
      clinic: `clinic-${i % 3}`,
      billed: String(price.total),
      currency: price.currency,
      usage,
      signed: await signReceipt(w, {
        jobId: `job-${i}`,
        modelHash: h(1),
        inputHash: h(100 + i),
        outputHash: h(200 + i),
        startedAt: '1',
        finishedAt: '2',
        inferenceMicros: String(100 + i),
        node: w.address,
        nonce: h(300 + i),
      }),
    })
  }
}, 60_000)

const measured = fc.array(
  fc.record({
    uptimePpm: fc.integer({ min: 900_001, max: 1_000_000 }),
    latencyMs: fc.integer({ min: 0, max: 1500 }),
    gpuUnits: fc.integer({ min: 1, max: 1000 }),
    powerWatts: fc.integer({ min: 1, max: 5000 }),
    backend: fc.constantFrom('cpu', 'cuda', 'webgpu'),
    region: fc.constantFrom('cn-east', 'cn-west', 'eu-north'),
    excluded: fc.boolean(),
  }),
  { minLength: 4, maxLength: 4 },
)

test('payouts sum exactly to the contributors’ share plus the emission; the same receipts in any order give the same bytes', () => {
  fc.assert(
    fc.property(
      fc.subarray([...Array(24).keys()], { minLength: 1 }),
      measured,
      fc.integer({ min: 0, max: 2000 }),
      fc.array(fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined }), {
        minLength: 24,
        maxLength: 24,
      }),
      (picked, nodes, epoch, micros) => {
        // some receipts carry the coordinator's measured time (energy), some do not
        const receipts = picked.map((i) =>
          micros[i] === undefined ? pool[i]! : { ...pool[i]!, measuredMicros: micros[i] },
        )
        const input = {
          epochId: 'e',
          epoch,
          epochSeconds: 86_400,
          receipts,
          nodes: nodes.map((n, i) => ({ ...n, address: wallets[i]!.address.toLowerCase() })),
        }
        const paid = new Set(receipts.map((r) => r.signed.receipt.node.toLowerCase()))
        fc.pre(input.nodes.some((n) => !n.excluded && paid.has(n.address)))
        const s = buildEpochStatement(input)
        const sum = (k: 'revenueShare' | 'emission') =>
          s.payout.nodes.reduce((t, n) => t + BigInt(n[k]), 0n)
        expect(sum('revenueShare')).toBe(BigInt(s.revenue.contributors!))
        expect(sum('emission')).toBe(BigInt(s.emission))
        for (const n of s.payout.nodes)
          expect(input.nodes.find((m) => m.address === n.address)!.excluded).toBe(false)
        const shuffled = buildEpochStatement({
          ...input,
          receipts: [...receipts].reverse(),
          nodes: [...input.nodes].reverse(),
        })
        expect(serializeStatement(shuffled)).toBe(serializeStatement(s))
      },
    ),
    { numRuns: 60 },
  )
})

test('a receipt billed other than quoteCompute says, or counted twice, is refused', () => {
  const input = {
    epochId: 'e',
    epoch: 0,
    epochSeconds: 3600,
    receipts: [{ ...pool[0]!, billed: String(BigInt(pool[0]!.billed) + 1n) }],
    nodes: wallets.map((w) => ({
      address: w.address.toLowerCase(),
      region: 'cn-east',
      uptimePpm: 1e6,
      latencyMs: 10,
      gpuUnits: 10,
      powerWatts: 300,
      excluded: false,
    })),
  }
  expect(() => buildEpochStatement(input)).toThrow(
    expect.objectContaining({ code: 'COMPUTE_STATEMENT_MISMATCH' }),
  )
  expect(() => buildEpochStatement({ ...input, receipts: [pool[0]!, pool[0]!] })).toThrow(
    /appears twice/,
  )
})

test('the energy factor comes from measured time per unit of work and the credited power', () => {
  // the reference: a billed GPU-second done in a measured second at 300 W earns the reference
  const ref = defaultConfig.dividend.energy.referenceGflopsPerWatt
  const measured = (
    workSeconds: number,
    measuredMicros: number,
    declaredWatts: number,
    backend?: string,
  ) => measuredGflopsPerWatt(defaultConfig, { workSeconds, measuredMicros, declaredWatts, backend })
  expect(measured(1, 1e6, 300, 'cuda')).toBe(ref)
  expect(measured(2, 1e6, 300, 'cuda')).toBe(2 * ref) // twice as fast
  expect(measured(1, 1e6, 600, 'cuda')).toBe(ref / 2) // twice the power
  // declaring less than the class's floor does not help
  expect(measured(1, 1e6, 1, 'cuda')).toBe((ref * 300) / 75)
  expect(measured(1, 1e6, 1, 'cpu')).toBe((ref * 300) / 30)
  expect(measured(1, 1e6, 1)).toBe((ref * 300) / 75) // no backend: `other`
  expect(measured(1, 1e6, 1, 'toString')).toBe((ref * 300) / 75) // not Object's keys
  expect(measured(0, 1e6, 300, 'cpu')).toBe(0)
  expect(measured(1, 0, 300, 'cpu')).toBe(0)
  // in a statement: node 0 does about the reference's work per measured second, node 1 about a
  // quarter of it; at the same declared power node 1 gets the lower energy factor, and declaring
  // 1 W earns it no more than its class's floor (75 W) does — under the factor's cap
  const byNode = (k: number) => pool.filter((r) => r.signed.receipt.node === wallets[k]!.address)
  const receipts = [
    ...byNode(0).map((r) => ({ ...r, measuredMicros: 1_200_000 })), // 7.0 s of work in 7.2 s
    ...byNode(1).map((r) => ({ ...r, measuredMicros: 5_133_333 })), // 7.7 s of work in 30.8 s
  ]
  const node = (k: number, powerWatts: number) => ({
    address: wallets[k]!.address.toLowerCase(),
    region: 'cn-east',
    uptimePpm: 1e6,
    latencyMs: 10,
    gpuUnits: 10,
    powerWatts,
    backend: 'cuda',
    excluded: false,
  })
  const energy = (nodes: ReturnType<typeof node>[]) => {
    const s = buildEpochStatement({ epochId: 'e', epoch: 0, epochSeconds: 3600, receipts, nodes })
    // nodes 2 and 3 have no paid job here (no factors)
    return nodes
      .slice(0, 2)
      .map((n) => BigInt(s.nodes.find((m) => m.address === n.address)!.factors!.energyPpm!))
  }
  const [fast, slow] = energy([node(0, 300), node(1, 300), node(2, 300), node(3, 300)])
  expect(fast! > slow!).toBe(true)
  const [honest, tiny] = energy([node(0, 300), node(1, 1), node(2, 300), node(3, 300)])
  const [, floored] = energy([node(0, 300), node(1, 75), node(2, 300), node(3, 300)])
  expect(tiny).toBe(floored)
  expect(floored! < BigInt(defaultConfig.dividend.energy.maxPpm)).toBe(true)
  expect(honest).toBe(fast)
})

test('the reference accelerator and the power floors come from the engine config', () => {
  const ref = defaultConfig.dividend.energy.referenceGflopsPerWatt
  const work = { workSeconds: 1, measuredMicros: 1e6, declaredWatts: 300, backend: 'cuda' }
  // billing in seconds of a 600 W accelerator: the same measured work at 300 W is twice as
  // efficient as that reference, so it scores twice referenceGflopsPerWatt (and 4x at 150 W)
  const hungry = defineConfig({ dividend: { energy: { referenceWatts: 600 } } })
  expect(measuredGflopsPerWatt(defaultConfig, work)).toBe(ref)
  expect(measuredGflopsPerWatt(hungry, work)).toBe(2 * ref)
  expect(measuredGflopsPerWatt(hungry, { ...work, declaredWatts: 150 })).toBe(4 * ref)
  // and through dividendShares the factor follows: at the default bounds (0.8..1.2) the node
  // at 300 W is exactly 1.0 under the default reference and capped at 1.2 under the 600 W one
  const factor = (config: typeof defaultConfig) =>
    dividendShares(
      [
        {
          id: 'n',
          region: 'cn-east',
          gpuUnits: 10,
          uptimePpm: 1e6,
          latencyMs: 10,
          throughput: 60,
          gflopsPerWatt: measuredGflopsPerWatt(config, work),
        },
      ],
      1_000n,
      config,
    ).shares[0]!.factors.energyPpm
  expect(factor(defaultConfig)).toBe(1_000_000n)
  expect(factor(hungry)).toBe(BigInt(defaultConfig.dividend.energy.maxPpm))
  // a class floor from the config: a cuda floor of 150 W credits a 1 W declaration as 150 W
  const floored = defineConfig({ dividend: { energy: { minWatts: { cuda: 150 } } } })
  expect(measuredGflopsPerWatt(floored, { ...work, declaredWatts: 1 })).toBe(2 * ref)
  expect(measuredGflopsPerWatt(defaultConfig, { ...work, declaredWatts: 1 })).toBe(4 * ref)
})
