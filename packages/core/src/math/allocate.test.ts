import { describe, expect, test } from 'vitest'
import { allocate } from './allocate.js'

const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

describe('allocate', () => {
  test('largest remainder, not floor-then-largest-weight', () => {
    expect(allocate(9999n, [75n, 25n])).toEqual([7499n, 2500n])
  })

  test('ties go to the lower index', () => {
    expect(allocate(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n])
    expect(allocate(2n, [1n, 1n, 1n])).toEqual([1n, 1n, 0n])
  })

  test('a zero weight gets nothing, even with dust to place', () => {
    expect(allocate(10n, [0n, 1n, 1n, 1n])).toEqual([0n, 4n, 3n, 3n])
  })

  test('zero amount', () => {
    expect(allocate(0n, [3n, 1n])).toEqual([0n, 0n])
  })

  test('empty, all-zero and negative weights are typed errors', () => {
    expect(() => allocate(1n, [])).toThrow(coreError('CORE_INVALID_WEIGHTS'))
    expect(() => allocate(1n, [0n, 0n])).toThrow(/every weight is zero/)
    expect(() => allocate(1n, [1n, -1n])).toThrow(/weight 1 is negative/)
    expect(() => allocate(-1n, [1n])).toThrow(coreError('CORE_NEGATIVE_AMOUNT'))
  })

  test('many equal remainders (selection with duplicates)', () => {
    const shares = allocate(1_000_003n, Array(1000).fill(1n))
    expect(shares.slice(0, 3)).toEqual([1001n, 1001n, 1001n])
    expect(shares.slice(3, 6)).toEqual([1000n, 1000n, 1000n])
  })
})
