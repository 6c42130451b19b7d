/**
 * The economic engine. Explicit exports only; index.test.ts snapshots this list.
 *
 * @packageDocumentation
 * @module @btt/core
 */

export {
  type BurnState,
  initialBurnState,
  type RecordBurnErrorType,
  type RecordBurnReturnType,
  recordBurn,
} from './burns/recordBurn.js'
export {
  type AllocationAmount,
  allocationAmounts,
} from './config/allocationAmounts.js'
export { defaultConfigInput } from './config/defaults.js'
export {
  type ConfigOverrides,
  defaultConfig,
  defineConfig,
  type ParseConfigErrorType,
  parseConfig,
} from './config/parseConfig.js'
export {
  type AllocationEntry,
  type BurnConfig,
  type ComputePricing,
  type DividendConfig,
  type EmissionConfig,
  type EmissionCurve,
  type EngineConfig,
  type EngineConfigInput,
  engineConfigSchema,
  type FeesConfig,
  type GovernanceConfig,
  type IncentivesConfig,
  type Release,
  type RevenueSplitConfig,
  type SettlementConfig,
  type StakingTier,
} from './config/schema.js'
export {
  BPS,
  DAY,
  MONTH,
  ONE_TOKEN,
  PPM,
  TOKEN_DECIMALS,
  TOTAL_SUPPLY,
  YEAR,
} from './constants.js'
export {
  type ContributorNode,
  contributorNodeSchema,
  type DividendFactors,
  type DividendShare,
  type DividendSharesErrorType,
  type DividendSharesReturnType,
  dividendShares,
  nodeFactors,
} from './dividend/dividendShares.js'
export {
  type EmittedAmountErrorType,
  type EmittedAmountParameters,
  type EmittedAmountReturnType,
  type EpochEmissionParameters,
  emittedAmount,
  epochEmission,
} from './emission/emittedAmount.js'
export {
  type EpochEmissionsErrorType,
  type EpochEmissionsReturnType,
  epochEmissions,
} from './emission/epochEmissions.js'
export { miningEmissionSchedule } from './emission/miningEmissionSchedule.js'
export {
  type EmissionSchedule,
  type EmissionScheduleInput,
  emissionScheduleSchema,
} from './emission/schema.js'
export {
  BttError,
  type BttErrorOptions,
  CoreError,
  type CoreErrorCode,
  coreErrorCodes,
  defineErrorCodes,
  type ErrorCodeEntry,
  type ErrorCodeTable,
  type ErrorKind,
  errorKinds,
  parseWith as parseWithCode,
  toBttError,
  type ValidationIssue,
  zodIssues,
} from './errors.js'
export type {
  FeeLine,
  FeeQuote,
} from './fees/feeQuote.js'
export {
  type PayfiFeeErrorType,
  type PayfiFeeOptions,
  payfiFee,
} from './fees/payfiFee.js'
export {
  type SubscriptionPriceErrorType,
  type SubscriptionPriceReturnType,
  subscriptionPrice,
} from './fees/subscriptionPrice.js'
export {
  liquidityManagementFee,
  mintingFee,
  premiumListingFee,
  revaluationFee,
  secondaryTradeFee,
  type TokenizationFeeErrorType,
} from './fees/tokenizationFees.js'
export {
  type TallyVotesErrorType,
  type TallyVotesParameters,
  type TallyVotesReturnType,
  tallyVotes,
  type Vote,
} from './governance/tallyVotes.js'
export {
  type AwardResult,
  type AwardStatus,
  type CareEvent,
  type CreateIncentiveLedgerErrorType,
  careEventSchema,
  createIncentiveLedger,
  type IncentiveLedger,
  type IncentiveLedgerSnapshot,
} from './incentives/createIncentiveLedger.js'
export {
  type AllocateErrorType,
  type AllocateParameters,
  type AllocateReturnType,
  allocate,
} from './math/allocate.js'

export {
  type ComputeUsage,
  type QuoteComputeErrorType,
  type QuoteComputeReturnType,
  type QuoteLineItem,
  quoteCompute,
} from './pricing/quoteCompute.js'
export {
  type SplitRevenueErrorType,
  type SplitRevenueReturnType,
  shareContributorRevenue,
  splitRevenue,
} from './revenue/splitRevenue.js'
export {
  type StakePosition,
  type StakingBenefitsErrorType,
  type StakingBenefitsReturnType,
  stakePositionSchema,
  stakingBenefits,
} from './staking/stakingBenefits.js'
export { type FormatUnitsErrorType, formatUnits } from './units/formatUnits.js'
export { type ParseUnitsErrorType, parseUnits } from './units/parseUnits.js'
export {
  type CirculatingSupplyErrorType,
  type CirculatingSupplyParameters,
  type CirculatingSupplyReturnType,
  circulatingSupply,
} from './vesting/circulatingSupply.js'
export {
  type MilestoneVestedAmountErrorType,
  type MilestoneVestedAmountParameters,
  type MilestoneVestedAmountReturnType,
  milestoneVestedAmount,
} from './vesting/milestoneVestedAmount.js'
export {
  type ReleasableErrorType,
  type ReleasableParameters,
  type ReleasableReturnType,
  releasable,
} from './vesting/releasable.js'
export {
  addVestingIssues,
  checkCliff,
  checkMilestones,
  linearReleaseSchema,
  type MilestoneSchedule,
  milestoneReleaseSchema,
  milestoneScheduleSchema,
  type VestingIssue,
  type VestingSchedule,
  type VestingScheduleInput,
  vestingScheduleSchema,
} from './vesting/schema.js'
export {
  type VestedAmountErrorType,
  type VestedAmountParameters,
  type VestedAmountReturnType,
  vestedAmount,
} from './vesting/vestedAmount.js'
