/**
 * The compute network: wire protocol, node agent, coordinator, epochs.
 *
 * @packageDocumentation
 * @module @btt/compute/network
 */

export { type CloseEpochOptions, closeEpoch, verifyEpoch } from '../coordinator/closeEpoch.js'
export {
  type Coordinator,
  type CreateCoordinatorOptions,
  createCoordinator,
} from '../coordinator/createCoordinator.js'
export {
  buildEpochStatement,
  type ComputeEpochStatement,
  serializeStatement,
} from '../coordinator/epoch.js'
export {
  type EpochInput,
  type EpochReceipt,
  epochInputSchema,
  epochReceiptSchema,
  type MeasuredNode,
} from '../coordinator/epochSchemas.js'
export { createApiKey, hashKey } from '../coordinator/keys.js'
export { openRedisStore } from '../coordinator/redisStore.js'
export { openSqliteStore } from '../coordinator/sqliteStore.js'
export type { CoordinatorStore, JobRecord, NodeRecord, NodeStats } from '../coordinator/types.js'
export {
  type ComputeNode,
  type CreateNodeOptions,
  createNode,
  type NodeAnswer,
} from '../node/createNode.js'
export {
  decodeFrame,
  encodeFrame,
  FRAME_CONTENT_TYPE,
  type Frame,
  MAX_FRAME_BYTES,
  type Tensor,
  tensorsHash,
} from './frame.js'
export { newNodeKey } from './nodeKey.js'
export {
  RECEIPT_DOMAIN,
  RECEIPT_TYPES,
  type Receipt,
  type ReceiptExpectation,
  receiptSchema,
  type SignedReceipt,
  signedReceiptSchema,
  signReceipt,
  verifyReceipt,
} from './receipt.js'
export { type CoordinatorAccess, type RemoteReceipt, remoteModel } from './remoteModel.js'
export { type Capabilities, capabilitiesSchema } from './schemas.js'
export { submitJob } from './submitJob.js'
