import { defineConfig } from '@btt/core'
import type { Cohort } from '../src/engine/buildCohorts.js'

/** @btt/core's default engine config. */
export const engine = defineConfig({})

/** A cohort of `count` identical 1-GPU nodes (100 units) in `region`, tier `tier`. */
export function cohort(count: number, options: Partial<Cohort> & { region?: string } = {}): Cohort {
  const { region = 'cn-east', ...rest } = options
  return {
    tier: 0,
    node: {
      id: `t/${region}`,
      region,
      count,
      gpuUnits: 100,
      accelerators: 0,
      uptimePpm: 1_000_000,
      latencyMs: 100,
      throughput: 60,
      gflopsPerWatt: 50,
    },
    meanUptime: 1,
    jitter: 0,
    powerCost: 0,
    ...rest,
  }
}
