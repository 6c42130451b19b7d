import { BttError, defineErrorCodes, type ErrorCodeTable } from '@btt/core/errors'

/**
 * @btt/connectors' closed table of error codes. Codes are stable: a code is never reused for
 * another meaning. `details` carries the structured facts (file, url, status, offset…).
 */
export const connectorsErrorCodes = defineErrorCodes({
  CONNECTORS_INTERNAL: {
    kind: 'internal',
    description:
      'A defect in @btt/connectors: a case the code should never reach (e.g. an action without an implementation).',
  },
  CONNECTORS_INVALID_ARGUMENT: {
    kind: 'invalid_input',
    description: 'An argument or option of an exported function is invalid (every problem listed).',
  },
  DEID_UNREADABLE_FILE: {
    kind: 'invalid_input',
    description:
      'A file could not be read as DICOM for de-identification (the reason and, where known, the byte offset).',
  },
  DEID_NO_KEY: {
    kind: 'invalid_input',
    description:
      'De-identification was asked for without a key or a vault to key UIDs and pseudonyms.',
  },
  DEID_WRITE_FAILED: {
    kind: 'internal',
    description: 'The de-identified dataset could not be encoded.',
  },
  DEID_TOO_DEEP: {
    kind: 'invalid_input',
    description: 'Sequences are nested deeper than the de-identifier accepts.',
  },
  DEID_STANDARD_DATA: {
    kind: 'internal',
    description:
      "The package's copy of the standard's de-identification table is missing or malformed.",
  },
  DEID_OUTPUT_OVERLAPS_INPUT: {
    kind: 'conflict',
    description: 'The output folder is, contains or lies inside an input (nothing is written).',
  },
  DEID_INPUT_NOT_FOUND: {
    kind: 'not_found',
    description: 'An input file or folder does not exist, or the inputs hold no file at all.',
  },
  DEID_INPUT_UNREADABLE: {
    kind: 'io',
    description: 'An input entry cannot be read (permissions, a symlink loop, not a file).',
  },
  DEID_OUTPUT_FAILED: {
    kind: 'io',
    description: 'A de-identified file or the output folder could not be written.',
  },
  REID_UNREADABLE_FILE: {
    kind: 'invalid_input',
    description: 'A result could not be read as DICOM for re-identification.',
  },
  VAULT_UNAVAILABLE: {
    kind: 'io',
    description: 'The pseudonym vault could not be opened or used.',
  },
  DICOMWEB_HTTP_ERROR: {
    kind: 'unavailable',
    description: 'A DICOMweb server answered with an HTTP error status.',
  },
  DICOMWEB_UNREACHABLE: {
    kind: 'unavailable',
    description:
      'A DICOMweb server could not be reached or dropped the connection (refused, DNS, TLS, reset; `details.category` and `details.errorCode` say which).',
  },
  DICOMWEB_TIMEOUT: {
    kind: 'timeout',
    description: 'A DICOMweb exchange made no progress within its timeout.',
  },
  DICOMWEB_BAD_RESPONSE: {
    kind: 'unavailable',
    description:
      'A DICOMweb server answered with a body that is not what the standard says (e.g. not JSON).',
  },
  DIMSE_FAILED: {
    kind: 'unavailable',
    description:
      'A DIMSE request failed: network error, association rejected, timeout or a failure status.',
  },
  SCP_INVALID_INSTANCE: {
    kind: 'invalid_input',
    description: 'An instance sent to the C-STORE SCP lacks a valid Study or SOP Instance UID.',
  },
  SCP_LISTEN_FAILED: {
    kind: 'unavailable',
    description:
      'The C-STORE SCP cannot listen: the port is in use or not allowed, or the spool folder cannot be made (`details.port`, `details.errorCode`).',
  },
  RESULT_ENCODING_FAILED: {
    kind: 'invalid_input',
    description: 'A DICOM result (SR, SEG, Secondary Capture) cannot be built from what was given.',
  },
  PACS_STORE_REFUSED: {
    kind: 'unavailable',
    description: 'The PACS refused to store a result.',
  },
  JOB_STORE_UNAVAILABLE: {
    kind: 'io',
    description: "The PACS flow's job store could not be opened.",
  },
  FHIR_HTTP_ERROR: {
    kind: 'unavailable',
    description:
      'A FHIR server answered with an error status (after the bounded retries for 5xx/429); `details.status` and `details.outcome` say which.',
  },
  FHIR_UNREACHABLE: {
    kind: 'unavailable',
    description: 'A FHIR server could not be reached after the bounded retries.',
  },
  FHIR_TIMEOUT: {
    kind: 'timeout',
    description: 'A FHIR exchange did not finish within its timeout, after the bounded retries.',
  },
  FHIR_TRANSACTION_FAILED: {
    kind: 'integrity',
    description:
      'A FHIR transaction was answered but an entry failed or the server holds duplicates of a deterministic identifier.',
  },
  SMART_DISCOVERY_FAILED: {
    kind: 'unavailable',
    description: 'The .well-known/smart-configuration could not be read or lacks a token endpoint.',
  },
  SMART_TOKEN_REFUSED: {
    kind: 'unauthorized',
    description: 'The authorization server refused the client-credentials grant.',
  },
  CDS_UNAUTHORIZED: {
    kind: 'unauthorized',
    description:
      'A CDS Hooks request carried no valid JWT (signature, issuer, jku, kid, aud, exp, iat, jti or algorithm); answered 401 without detail.',
  },
  CDS_PREFETCH_UNAVAILABLE: {
    kind: 'unavailable',
    description:
      'Data a CDS service requires was neither prefetched nor fetchable from the FHIR server (answered 412).',
  },
  CDS_UNKNOWN_SERVICE: {
    kind: 'not_found',
    description: 'A CDS Hooks request names a service this server does not offer.',
  },
  SUBSCRIPTION_UNKNOWN: {
    kind: 'not_found',
    description: 'A subscription notification names a subscription that was not registered.',
  },
  SUBSCRIPTION_BAD_NOTIFICATION: {
    kind: 'invalid_input',
    description:
      'A subscription notification is not a valid R4 backport notification Bundle (`details.issues`).',
  },
  INCENTIVE_UNKNOWN_PATIENT: {
    kind: 'not_found',
    description: 'An EHR event names a patient the FHIR server does not know.',
  },
  INCENTIVE_LEDGER_FAILED: {
    kind: 'io',
    description: 'The points ledger refused or could not confirm a write (`details.outcome`).',
  },
  INCENTIVE_NOT_INTAKE_STATE: {
    kind: 'conflict',
    description:
      "The intake state file holds another program's SQLite tables; it is left untouched.",
  },
  INCENTIVE_INSUFFICIENT_POINTS: {
    kind: 'conflict',
    description: 'A redemption asks for more points than the patient holds.',
  },
})

export type ConnectorsErrorCode = keyof typeof connectorsErrorCodes

/**
 * The error @btt/connectors throws: `new ConnectorsError(code, message, { cause, details })`,
 * `code` from {@link connectorsErrorCodes}.
 */
export class ConnectorsError extends BttError<ConnectorsErrorCode> {
  static override codes: ErrorCodeTable = connectorsErrorCodes
  override name = 'ConnectorsError'
}
