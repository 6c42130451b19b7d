import { expect, test } from 'vitest'
import { releasable } from './releasable.js'

const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

test('releasable is vested minus released', () => {
  expect(releasable({ total: 100n, start: 0, duration: 100 }, { at: 50, released: 20n })).toBe(30n)
})

test('released above vested is an error, not a negative amount', () => {
  expect(() =>
    releasable({ total: 100n, start: 0, duration: 100 }, { at: 10, released: 11n }),
  ).toThrow(coreError('CORE_OVER_RELEASED'))
})
