import { describe, expect, test } from 'vitest'
import { createRng } from '../random/createRng.js'
import { P2Quantile } from './P2Quantile.js'

describe('P2Quantile', () => {
  test('exact for up to five observations', () => {
    const q = new P2Quantile(0.5)
    for (const x of [5, 1, 3]) q.add(x)
    expect(q.value()).toBe(3)
  })

  test('close to the true quantiles of a large sample, without keeping it', () => {
    const rng = createRng(7)
    const values: number[] = []
    const qs = [0.05, 0.5, 0.95].map((p) => new P2Quantile(p))
    for (let i = 0; i < 20_000; i++) {
      const x = rng.normal() * 10 + 50
      values.push(x)
      for (const q of qs) q.add(x)
    }
    values.sort((a, b) => a - b)
    for (const q of qs) {
      const truth = values[Math.floor(q.p * (values.length - 1))]!
      expect(Math.abs(q.value() - truth)).toBeLessThan(0.5)
    }
  })
})
