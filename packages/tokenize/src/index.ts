/**
 * Healthcare assets as permissioned fractional tokens on an EVM chain. Explicit exports only;
 * index.test.ts snapshots the list. One block per area; keep each sorted.
 *
 * @packageDocumentation
 * @module @btt/tokenize
 */

// Compliance and the agent
export {
  burnTokens,
  forcedTransfer,
  freezeTokens,
  mintTokens,
  recoverWallet,
  setHoldingLimit,
  setPaused,
  setWalletFrozen,
} from './agent.js'

// Deployment and context
export {
  type TokenizeContractName,
  tokenizeArtifact,
  tokenizeArtifactsProvenance,
} from './artifacts.js'
// Assets
export {
  type AssetTier,
  type AssetType,
  assetTypes,
  type RegisteredAsset,
  readAsset,
  type Valuation,
} from './asset.js'
export { tokenizeChainError } from './chain.js'
export { deploymentSchema, type Tokenization, type TokenizeDeployment } from './context.js'
export {
  type DeployTokenizationParameters,
  deploySettlementToken,
  deployTokenization,
} from './deployTokenization.js'
// Liquidity management and income
export {
  type DistributeIncomeReturnType,
  distributeIncome,
  holdingsAt,
} from './distributeIncome.js'
export { type AssetDocument, documentHash, verifyDocument } from './documents.js'
// Errors
export {
  parseTokenize,
  TokenizeError,
  type TokenizeErrorCode,
  type TokenizeErrorType,
  tokenizeErrorCodes,
} from './errors.js'
export { tokenizeAccounts } from './ledger.js'
export {
  accrueLiquidityFee,
  type LiquidityAccrualsReturnType,
  liquidityAccruals,
} from './liquidity.js'
export { type OpenTokenizationParameters, openTokenization } from './openTokenization.js'
export { recordBlockAt } from './recordBlockAt.js'
export { chainNow, type RegisterAssetParameters, registerAsset } from './registerAsset.js'
export {
  messageForTransferRestriction,
  type RestrictionCode,
  restrictionCode,
  restrictionCodes,
  type TransferState,
} from './restrictions.js'
export { revalueAsset, type ValuationRecord, valuationHistory } from './revalueAsset.js'
// Secondary market
export { approve, settleTrade } from './settleTrade.js'
export { type Holding, type IncomeShare, shareIncome } from './shareIncome.js'
export {
  type TokenizeAssetParameters,
  type TokenizeAssetReturnType,
  tokenizeAsset,
} from './tokenizeAsset.js'
export {
  type QuoteTradeParameters,
  quoteTrade,
  signTrade,
  type Trade,
  tradeFee,
  tradeTypes,
} from './trade.js'
export {
  type DetectTransferRestrictionParameters,
  detectTransferRestriction,
  readEligibility,
  readTransferState,
} from './transferState.js'
export { assertTransferable, transferTokens } from './transferTokens.js'
export { type VerifyInvestorParameters, verifyInvestor } from './verifyInvestor.js'
