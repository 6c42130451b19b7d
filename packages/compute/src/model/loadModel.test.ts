import { describe, expect, test } from 'vitest'
import { demoModelManifestPath } from './demoModel.js'
import { loadModel } from './loadModel.js'

describe('loadModel checks its arguments (zod when they are not plainly right)', () => {
  test.each([
    ['an empty path', '', {}],
    ['a number as the path', 42, {}],
    ['an unknown backend', 'm.json', { backend: 'tpu' }],
    ['zero threads', 'm.json', { intraOpThreads: 0 }],
    ['an unknown option', 'm.json', { thread: 2 }],
    ['options that are null', 'm.json', null],
    ['options that are an array', 'm.json', []],
  ])('%s is COMPUTE_INVALID_ARGUMENT (thrown at the call)', (_, path, options) => {
    expect(() => loadModel(path as never, options as never)).toThrow(
      expect.objectContaining({ code: 'COMPUTE_INVALID_ARGUMENT' }),
    )
  })

  test('the plain forms load, the same model each time', async () => {
    const a = await loadModel(demoModelManifestPath())
    const b = await loadModel(demoModelManifestPath(), { backend: 'cpu' })
    expect(b).toBe(a)
    expect(demoModelManifestPath()).toBe(demoModelManifestPath())
  })
})
