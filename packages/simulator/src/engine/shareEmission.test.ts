import { ONE_TOKEN } from '@btt/core'
import { describe, expect, test } from 'vitest'
import { cohort, engine } from '../../test/engineFixtures.js'
import { shareEmission } from './shareEmission.js'

describe('shareEmission', () => {
  test('the pool goes to cohorts with nodes, in full', () => {
    const paid = new Float64Array(3)
    const cohorts = [cohort(2), cohort(0, { region: 'b' }), cohort(2, { region: 'c' })]
    expect(shareEmission(cohorts, 1000n * ONE_TOKEN, engine, paid)).toBe(1000)
    expect(paid[1]).toBe(0)
    expect(paid[0]! + paid[2]!).toBeCloseTo(1000, 5)
  })

  test('an empty pool, no nodes, or no node with a score: nothing is emitted', () => {
    const paid = new Float64Array([7])
    expect(shareEmission([cohort(3)], 0n, engine, paid)).toBe(0)
    expect(shareEmission([cohort(0)], ONE_TOKEN, engine, paid)).toBe(0)
    const down = cohort(3)
    down.node.uptimePpm = 0
    down.node.gpuUnits = 0
    expect(shareEmission([down], ONE_TOKEN, engine, paid)).toBe(0)
    expect([...paid]).toEqual([0])
  })
})
