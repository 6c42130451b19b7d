/**
 * The EHR plugin: FHIR R4 results, SMART Backend Services, CDS Hooks 2.0, the SMART app's assets,
 * and the patient incentive intake. Explicit exports only.
 *
 * @packageDocumentation
 * @module @btt/connectors/ehr
 */

export type { CdsCard } from './cdshooks/cards.js'
export {
  type CdsHooksHandler,
  type CdsHooksHandlerOptions,
  type CreateCdsHooksHandlerErrorType,
  createCdsHooksHandler,
} from './cdshooks/createCdsHooksHandler.js'
export {
  ASYMMETRIC_ALGORITHMS,
  type CdsJwtVerifier,
  type CdsJwtVerifierOptions,
  type CreateCdsJwtVerifierErrorType,
  createCdsJwtVerifier,
} from './cdshooks/createCdsJwtVerifier.js'
export { type CdsServiceDefinition, cdsServices } from './cdshooks/services.js'
export {
  type CreateFhirClientErrorType,
  createFhirClient,
  type FhirClient,
  type FhirClientOptions,
} from './fhir/createFhirClient.js'
export {
  type CreateFhirResultBundleErrorType,
  createFhirResultBundle,
  type FhirResultOptions,
} from './fhir/createFhirResultBundle.js'
export {
  DICOM_UID_SYSTEM,
  deterministicUuid,
  MODEL_SHA256_SYSTEM,
  URI_SYSTEM,
} from './fhir/identifiers.js'
export { OVERLAY_SCALE_EXTENSION, overlayPng } from './fhir/overlayPng.js'
export { DICOM_PATIENT_ID_SYSTEM, patientFromDicom } from './fhir/patientFromDicom.js'
export {
  type SendFhirResultsErrorType,
  type SendFhirResultsReturnType,
  sendFhirResults,
} from './fhir/sendFhirResults.js'
export type { IntakeOutcome, IntakeStatus } from './incentives/awardEvent.js'
export {
  type CareEventCandidate,
  type CareEventRules,
  careEventOf,
  defaultCareEventRules,
} from './incentives/careEventOf.js'
export { INCENTIVE_CONSENT_POLICY } from './incentives/consent.js'
export {
  type CreateIncentiveEngineErrorType,
  createIncentiveEngine,
  type IncentiveEngine,
  type IncentiveEngineOptions,
} from './incentives/createIncentiveEngine.js'
export type { NotificationResult } from './incentives/handleNotification.js'
export { parseNotification, type SubscriptionNotification } from './incentives/parseNotification.js'
export { type RedemptionSplit, redemptionSplit } from './incentives/redeemPoints.js'
export {
  type BackendServicesClient,
  type BackendServicesOptions,
  type CreateBackendServicesClientErrorType,
  createBackendServicesClient,
} from './smart/createBackendServicesClient.js'
export {
  type ServeSmartAppErrorType,
  type ServeSmartAppOptions,
  serveSmartApp,
} from './smart/serveSmartApp.js'
export {
  exportSmartClientKey,
  generateSmartClientKey,
  importSmartClientKey,
  type SmartAlgorithm,
  type SmartClientKey,
  smartJwks,
} from './smart/smartClientKey.js'
