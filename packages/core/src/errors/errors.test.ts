import { expect, test } from 'vitest'
import { allocate } from '../math/allocate.js'
import { BaseError } from './base.js'
import { InvalidWeightsError } from './math.js'
import { toBttError, UnknownBttError } from './toBttError.js'

test('errors carry a short message, details and a version, and walk their causes', () => {
  const inner = new TypeError('socket closed')
  const outer = new BaseError('Could not settle', { cause: inner, metaMessages: ['batch 7'] })
  expect(outer.shortMessage).toBe('Could not settle')
  expect(outer.details).toBe('socket closed')
  expect(outer.message).toContain('batch 7')
  expect(outer.message).toContain('Version: @btt/core@')
  expect(outer.walk()).toBe(inner)
  expect(outer.walk((e) => e instanceof TypeError)).toBe(inner)
})

test('toBttError passes ours through and wraps the rest', () => {
  let caught: unknown
  try {
    allocate(1n, [])
  } catch (error) {
    caught = error
  }
  expect(toBttError(caught)).toBeInstanceOf(InvalidWeightsError)
  expect((toBttError(caught) as InvalidWeightsError).name).toBe('InvalidWeightsError')
  const wrapped = toBttError('a string')
  expect(wrapped).toBeInstanceOf(UnknownBttError)
  expect(wrapped.shortMessage).toMatch(/a string/)
})
