import { defaultConfig, quoteCompute } from '@btt/core'
import { expect, test } from 'vitest'
import { priceJob } from './priceJob.js'

test('bytes are every file the job moved; the quote is quoteCompute of the inference time and bytes, none when pricing is false', () => {
  const files = [new Uint8Array(1000), new Uint8Array(24)]
  const result = { timings: { inferenceMs: 1500 } } as Parameters<typeof priceJob>[1]
  const { dataBytes, quote } = priceJob(undefined, result, files)
  expect(dataBytes).toBe(1024)
  expect(quote).toEqual(
    quoteCompute(defaultConfig.computePricing, { gpuSeconds: 1.5, dataBytes: 1024n }),
  )
  expect(priceJob(false, result, files)).toEqual({ dataBytes: 1024, quote: null })
})
