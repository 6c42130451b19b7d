import type { EngineConfig } from '@btt/core'
import type { Currency, Ledger } from '@btt/payfi'
import type { ChainConnection } from '@btt/payfi/evm'
import { z } from 'zod'

/** Addresses of a tokenization deployment, as `btt tokenize deploy` writes them. */
export type TokenizeDeployment = {
  chainId: string
  deployer: string
  identityRegistry: string
  assetRegistry: string
  market: string
  distributor: string
  /** The settlement currency (an ERC-20 with ERC20Burnable's burn). */
  currency: string
  /** Its ledger currency code (its base units are the ledger's: BTT has 18 decimals). */
  currencyCode: Currency
  feeRecipient: string
}

/**
 * What every operation works with: the chain connection (its key sends), the deployment, the
 * PayFi ledger fees are recorded in, and optionally an engine config (the model's defaults).
 */
export type Tokenization = {
  chain: ChainConnection
  deployment: TokenizeDeployment
  ledger: Ledger
  config?: EngineConfig
}

export const zAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte address')
export const zPositive = z.bigint().positive()
export const zNonNegative = z.bigint().nonnegative()
/** An asset id: lower-case letters, digits, `.`, `_`, `-`; at most 31 characters (one bytes32). */
export const zAssetId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,30}$/, 'an asset id (a-z 0-9 . _ -, ≤31)')
export const zId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'an opaque id (≤64)')

export const deploymentSchema = z.strictObject({
  chainId: z.string().regex(/^[0-9]+$/),
  deployer: zAddress,
  identityRegistry: zAddress,
  assetRegistry: zAddress,
  market: zAddress,
  distributor: zAddress,
  currency: zAddress,
  currencyCode: z.enum(['CNY', 'USD', 'HKD', 'BTT', 'POINTS']),
  feeRecipient: zAddress,
})
