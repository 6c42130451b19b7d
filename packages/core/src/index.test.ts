import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import * as core from './index.js'

test('exports', () => {
  expect(Object.keys(core).sort()).toMatchInlineSnapshot(`
    [
      "BPS",
      "BttError",
      "CoreError",
      "DAY",
      "MONTH",
      "ONE_TOKEN",
      "PPM",
      "TOKEN_DECIMALS",
      "TOTAL_SUPPLY",
      "YEAR",
      "addVestingIssues",
      "allocate",
      "allocationAmounts",
      "careEventSchema",
      "checkCliff",
      "checkMilestones",
      "circulatingSupply",
      "contributorNodeSchema",
      "coreErrorCodes",
      "createIncentiveLedger",
      "defaultConfig",
      "defaultConfigInput",
      "defineConfig",
      "defineErrorCodes",
      "dividendShares",
      "emissionScheduleSchema",
      "emittedAmount",
      "engineConfigSchema",
      "epochEmission",
      "epochEmissions",
      "errorKinds",
      "formatUnits",
      "initialBurnState",
      "linearReleaseSchema",
      "liquidityManagementFee",
      "milestoneReleaseSchema",
      "milestoneScheduleSchema",
      "milestoneVestedAmount",
      "miningEmissionSchedule",
      "mintingFee",
      "nodeFactors",
      "parseConfig",
      "parseUnits",
      "parseWithCode",
      "payfiFee",
      "premiumListingFee",
      "quoteCompute",
      "recordBurn",
      "releasable",
      "revaluationFee",
      "secondaryTradeFee",
      "shareContributorRevenue",
      "splitRevenue",
      "stakePositionSchema",
      "stakingBenefits",
      "subscriptionPrice",
      "tallyVotes",
      "toBttError",
      "vestedAmount",
      "vestingScheduleSchema",
      "zodIssues",
    ]
  `)
})

test('core is pure: it imports only zod and its own modules', () => {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.ts') && !/\.(test|bench|fuzz\.test)\.ts$/.test(name))
        files.push(path)
    }
  }
  walk(import.meta.dirname)
  const offenders: string[] = []
  for (const file of files) {
    const source = readFileSync(file, 'utf8')
    for (const [, spec] of source.matchAll(/^(?:import|export|\})[^\n]*?from '([^']+)'/gm))
      if (spec !== 'zod' && !spec!.startsWith('./') && !spec!.startsWith('../'))
        offenders.push(`${file}: ${spec}`)
    if (/\b(process|Buffer|require)\b[.(]/.test(source)) offenders.push(`${file}: Node global`)
  }
  expect(offenders).toEqual([])
  expect(files.length).toBeGreaterThan(20)
})
