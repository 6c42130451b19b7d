/**
 * PACS/DICOM connectors: PS3.15 de-identification, DICOMweb client.
 *
 * @packageDocumentation
 * @module @btt/connectors
 */

export {
  type Action,
  type ActionTable,
  actionTable,
  type OptionColumn,
  parseActionTable,
  rowFor,
  TABLE_EDITION,
  type TableRow,
} from './deid/actionTable.js'
export {
  createDeidentifier,
  type Deidentifier,
  type DeidentifyErrorType,
  type DeidentifyOptions,
  type DeidentifyResult,
  deidentify,
  deidentifyOptionsSchema,
} from './deid/deidentify.js'
export { reidentify } from './deid/reidentify.js'
export { openVault, type PseudonymKind, type PseudonymVault } from './deid/vault.js'
export {
  createDicomwebClient,
  type DicomJson,
  type DicomwebClient,
  type DicomwebClientOptions,
  jsonValue,
  type StoreResult,
} from './dicomweb/createDicomwebClient.js'
export { boundaryOf, multipartBody, type Part, parseMultipart } from './dicomweb/multipart.js'
export {
  type CompletedStudy,
  createStoreScp,
  type StoreScpOptions,
} from './dimse/createStoreScp.js'
export {
  echoScu,
  findStudiesScu,
  type Peer,
  storeScu,
} from './dimse/scu.js'
export {
  ConnectorsError,
  type ConnectorsErrorCode,
  connectorsErrorCodes,
} from './errors.js'
export { type JobRecord, type JobStore, openJobStore } from './pacs/jobStore.js'
export {
  type FailureEvent,
  type PacsWatchOptions,
  type ResultEvent,
  type StudyEvent,
  watchPacs,
} from './pacs/watchPacs.js'
export {
  type CreateMeasurementReportErrorType,
  createMeasurementReport,
  type MeasurementReportOptions,
} from './results/createMeasurementReport.js'
export {
  type CreateOverlayImageErrorType,
  createOverlayImage,
} from './results/createOverlayImage.js'
export {
  type CreateSegmentationsErrorType,
  createSegmentations,
  packBits,
  type SegmentationOptions,
} from './results/createSegmentations.js'
export type { ResultObjectOptions } from './results/part10.js'
