/**
 * De-identification only: what `btt deid` loads (no DICOMweb, DIMSE, SR).
 *
 * @packageDocumentation
 * @module @btt/connectors/deid
 */

export { ConnectorsError, type ConnectorsErrorCode } from '../errors.js'
export {
  type Action,
  type ActionTable,
  actionTable,
  type OptionColumn,
  parseActionTable,
  rowFor,
  TABLE_EDITION,
  type TableRow,
} from './actionTable.js'
export {
  createDeidentifier,
  type Deidentifier,
  type DeidentifyErrorType,
  type DeidentifyOptions,
  type DeidentifyResult,
  deidentify,
  deidentifyOptionsSchema,
} from './deidentify.js'
export {
  type CollectInputsParameters,
  type CollectInputsReturnType,
  collectInputs,
  type InputFailure,
  type InputFile,
} from './files/collectInputs.js'
export {
  type DeidentifyFileOutcome,
  type DeidentifyFilesParameters,
  type DeidentifyFilesReturnType,
  deidentifyFiles,
} from './files/deidentifyFiles.js'
export { serveDeidJob } from './files/deidWorker.js'
export { type ReadScratch, readInput } from './files/readInput.js'
export { type StagedFile, stageFile } from './files/stageFile.js'
export { startDeidWorker } from './files/workerPool.js'
export { writeFileAtomic } from './files/writeFileAtomic.js'
export { openVault, type PseudonymKind, type PseudonymVault } from './vault.js'
