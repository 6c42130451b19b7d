/**
 * The BTT contracts on an EVM chain, with ethers v6 (Node and browsers).
 *
 * @packageDocumentation
 * @module @btt/payfi/evm
 */

export {
  type AllocationHolding,
  type AllocationPlanParameters,
  allocationPlan,
} from './allocationPlan.js'
export { artifactsProvenance, type ContractName, contractArtifact } from './artifacts.js'
export { type ChainConnection, type ConnectParameters, connectChain } from './connect.js'
export { type ConnectReadOnlyParameters, connectReadOnly } from './connectReadOnly.js'
export {
  attach,
  type BttDeployment,
  chainError,
  type DeployBttParameters,
  deploy,
  deployArtifact,
  deployBtt,
} from './deployBtt.js'
export {
  batchKey,
  isBatchPaid,
  type PayoutBatchParameters,
  type PayoutBatchReturnType,
  payoutBatch,
} from './payoutBatch.js'
export { SerialSigner } from './serialSigner.js'
export {
  createEvmSettlementChain,
  type EvmSettlementChainParameters,
} from './settlementChain.js'
