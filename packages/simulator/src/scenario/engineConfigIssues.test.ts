import { CoreError, defineConfig } from '@btt/core'
import { describe, expect, test } from 'vitest'
import { engineConfigIssues } from './engineConfigIssues.js'

const thrown = (f: () => unknown) => {
  try {
    f()
  } catch (error) {
    return error
  }
  throw new Error('expected a failure')
}

describe('engineConfigIssues', () => {
  test("@btt/core's config issues, by path; anything else is rethrown", () => {
    const error = thrown(() => defineConfig({ revenueSplit: { contributorsBps: 9000 } }))
    expect(engineConfigIssues(error)).toEqual([
      expect.objectContaining({ path: expect.stringMatching(/^revenueSplit/) }),
    ])
    const other = new CoreError('CORE_UNKNOWN', 'boom')
    expect(() => engineConfigIssues(other)).toThrow(other)
    const plain = new TypeError('x')
    expect(() => engineConfigIssues(plain)).toThrow(plain)
  })
})
