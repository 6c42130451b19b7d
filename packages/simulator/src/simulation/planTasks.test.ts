import { describe, expect, test } from 'vitest'
import { mix32 } from '../random/createRng.js'
import { planTasks } from './planTasks.js'

describe('planTasks', () => {
  test('variant by variant, run by run, each seed from the master seed, variant and run', () => {
    const plan = planTasks(2, 3, 7)
    expect(plan.length).toBe(6)
    expect(plan.at(4)).toEqual({ id: 4, variant: 1, run: 1, seed: mix32(mix32(7, 1), 1) })
    const seeds = Array.from({ length: 6 }, (_, i) => plan.at(i).seed)
    expect(new Set(seeds).size).toBe(6)
  })

  test('a million runs hold no array', () => {
    const plan = planTasks(3, 1_000_000, 1)
    expect(plan.length).toBe(3_000_000)
    expect(plan.at(2_999_999)).toMatchObject({ variant: 2, run: 999_999 })
  })
})
