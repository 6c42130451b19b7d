import { describe, expect, test } from 'vitest'
import { analyze } from './analyze.js'

describe('analyze: arguments are checked before any work', () => {
  test.each([
    ['a number as the study', 42, {}],
    ['an empty path', '', {}],
    ['a list holding a number', [1], {}],
    ['a fractional batch size', new Uint8Array(1), { batchSize: 1.5 }],
    ['a zero batch size', new Uint8Array(1), { batchSize: 0 }],
    ['NaN threads', new Uint8Array(1), { intraOpThreads: Number.NaN }],
    ['an unknown backend', new Uint8Array(1), { backend: 'tpu' }],
    ['a plain object as the model', new Uint8Array(1), { model: { id: 'x' } }],
    ['an unknown option', new Uint8Array(1), { batchsize: 8 }],
    // arguments that are plainly right skip zod: these must still reach it
    ['a list with an empty path', [new Uint8Array(1), ''], {}],
    ['a list with a hole', Object.assign(new Array(2), { 1: new Uint8Array(1) }), {}],
    ['a list holding undefined', [undefined], {}],
    ['options that are not an object', new Uint8Array(1), 'cpu'],
    ['options that are an array', new Uint8Array(1), []],
  ])('%s is COMPUTE_INVALID_ARGUMENT', async (_, study, options) => {
    await expect(analyze(study as never, options as never)).rejects.toMatchObject({
      name: 'ComputeError',
      code: 'COMPUTE_INVALID_ARGUMENT',
      kind: 'invalid_input',
    })
  })

  test('an empty list is a result with no images and no failures', async () => {
    const result = await analyze([])
    expect(result.images).toEqual([])
    expect(result.failures).toEqual([])
    expect(result.studyInstanceUids).toEqual([])
  })
})
