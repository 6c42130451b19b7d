import { BaseError } from './base.js'

export type InvalidWeightsErrorType = InvalidWeightsError & { name: 'InvalidWeightsError' }

/** Weights for a split were empty, negative, or all zero. */
export class InvalidWeightsError extends BaseError {
  override name = 'InvalidWeightsError' as const
  constructor(reason: string) {
    super(`Cannot split by these weights: ${reason}.`, {
      metaMessages: ['Weights must be a non-empty list of non-negative bigints, not all zero.'],
    })
  }
}

export type NegativeAmountErrorType = NegativeAmountError & { name: 'NegativeAmountError' }

/** An amount that must be zero or more was negative. */
export class NegativeAmountError extends BaseError {
  override name = 'NegativeAmountError' as const
  constructor(what: string, amount: bigint) {
    super(`${what} must not be negative (got ${amount}).`)
  }
}
