import { defaultConfig, defineConfig } from '@btt/core'
import { expect, test } from 'vitest'
import { walkthrough } from './walkthrough.js'

test('the walkthrough prints the four sections from the engine', () => {
  const text = walkthrough()
  expect(text).toMatch(/Mining reward pool\s+30\.0%\s+6,300,000 BTT/)
  expect(text).toMatch(/contributors \(pro rata to resource supplied\)\s+70/)
  expect(text).toContain('sum of rewards = pool exactly: true')
  expect(text).toMatch(/^96\s+.*\s+\d+\.\d+%/m)
})

test('the walkthrough follows the config, not literals', () => {
  const config = defineConfig({
    revenueSplit: { contributorsBps: 6000, devFundBps: 2000, foundationBps: 1500, reserveBps: 500 },
  })
  expect(walkthrough(config)).toMatch(/contributors \(pro rata to resource supplied\)\s+60/)
  expect(walkthrough(defaultConfig)).not.toMatch(/supplied\)\s+60/)
})
