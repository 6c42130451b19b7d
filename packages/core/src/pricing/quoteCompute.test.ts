import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { defaultConfig } from '../config/parseConfig.js'
import { quoteCompute } from './quoteCompute.js'

const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

const pricing = defaultConfig.computePricing

describe('quoteCompute', () => {
  test('an hour of GPU time at STAT urgency on tensor cores with data, staked', () => {
    const quote = quoteCompute(pricing, {
      gpuSeconds: 3600,
      urgency: 'stat',
      hardware: 'tensor-core',
      dataBytes: 2n * 2n ** 30n,
      stakingDiscountBps: 1000,
    })
    expect(quote.lines).toEqual([
      { kind: 'gpu-time', description: '3600 GPU-seconds', amount: 1200n },
      { kind: 'urgency', description: 'stat (250%)', amount: 1800n },
      { kind: 'hardware', description: 'tensor-core (+10%)', amount: 120n },
      { kind: 'data', description: '2147483648 bytes', amount: 100n },
      { kind: 'staking-discount', description: 'staking discount (10%)', amount: -322n },
    ])
    expect(quote.total).toBe(2898n)
    expect(quote.currency).toBe('CNY')
  })

  test('metered by FLOPs, with a minimum charge', () => {
    const quote = quoteCompute(pricing, { flops: 10n ** 15n })
    expect(quote.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['flops', 2n], // 11 CNY per exaFLOP → 1.1 fen per PFLOP, rounded up
      ['minimum', 98n],
    ])
    expect(quote.total).toBe(100n)
  })

  test('bad usage is a typed error', () => {
    expect(() => quoteCompute(pricing, {})).toThrow(/gpuSeconds or flops/)
    expect(() => quoteCompute(pricing, { gpuSeconds: -1 })).toThrow(/gpuSeconds/)
    expect(() => quoteCompute(pricing, { gpuSeconds: 1, urgency: 'yesterday' })).toThrow(
      coreError('CORE_UNKNOWN_TIER'),
    )
  })

  test('property: total is the sum of the lines, never below the minimum, monotone in GPU time', () => {
    const urgency = fc.constantFrom('routine', 'urgent', 'stat')
    const hardware = fc.constantFrom('standard', 'tensor-core', 'high-memory', 'multi-gpu')
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        urgency,
        hardware,
        fc.integer({ min: 0, max: 10_000 }),
        (ms1, ms2, u, h, discount) => {
          const [lo, hi] = ms1 <= ms2 ? [ms1, ms2] : [ms2, ms1]
          const usage = { urgency: u, hardware: h, stakingDiscountBps: discount }
          const a = quoteCompute(pricing, { ...usage, gpuSeconds: lo / 1000 })
          const b = quoteCompute(pricing, { ...usage, gpuSeconds: hi / 1000 })
          expect(a.total).toBe(a.lines.reduce((s, l) => s + l.amount, 0n))
          expect(a.total <= b.total).toBe(true)
          expect(a.total >= 0n).toBe(true)
          if (discount === 0) expect(a.total >= pricing.minimumCharge).toBe(true)
        },
      ),
      { numRuns: 3000 },
    )
  })
})
