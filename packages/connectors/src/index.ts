// @btt/connectors — PACS/DICOM connectors. This release: PS3.15 de-identification.
export {
  type Action,
  type ActionTable,
  actionTable,
  type OptionColumn,
  parseActionTable,
  rowFor,
  type TableRow,
} from './deid/actionTable.js'
export {
  type DeidentifyOptions,
  type DeidentifyResult,
  deidentify,
  deidentifyOptionsSchema,
} from './deid/deidentify.js'
export { reidentify } from './deid/reidentify.js'
export { openVault, type PseudonymKind, type PseudonymVault } from './deid/vault.js'
export {
  DeidentificationError,
  type DeidentificationErrorType,
  VaultError,
  type VaultErrorType,
} from './errors.js'
