import type { Bundle, DiagnosticReport } from '@medplum/fhirtypes'
import { ConnectorsError } from '../errors.js'
import type { FhirClient } from './createFhirClient.js'
import { URI_SYSTEM } from './identifiers.js'

export type SendFhirResultsReturnType = {
  /** `DiagnosticReport/<id>` on the server. */
  report: string
  /** HTTP status per entry, in the Bundle's order (`201` created, `200` updated or found). */
  statuses: string[]
}

export type SendFhirResultsErrorType = ConnectorsError

// Sends of one report identifier in this process wait for each other: FHIR servers are known to
// create duplicates when two conditional creates race, so the second send starts only after the
// first has committed, and then finds (and updates) what the first wrote.
const inFlight = new Map<string, Promise<unknown>>()

function reportIdentifier(bundle: Bundle): string {
  const report = bundle.entry?.find((e) => e.resource?.resourceType === 'DiagnosticReport')
    ?.resource as DiagnosticReport | undefined
  const id = report?.identifier?.find((i) => i.system === URI_SYSTEM)?.value
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'transaction' || !id)
    throw new ConnectorsError(
      'CONNECTORS_INVALID_ARGUMENT',
      'Not a result transaction Bundle (a transaction with an identified DiagnosticReport).',
      { details: { resourceType: String(bundle?.resourceType), type: String(bundle?.type) } },
    )
  return id
}

async function sendOnce(
  fhir: FhirClient,
  bundle: Bundle,
  id: string,
): Promise<SendFhirResultsReturnType> {
  const response = await fhir.transaction(bundle)
  const statuses = (response.entry ?? []).map((e) => e.response?.status ?? '')
  const failed = statuses.filter((s) => !/^2\d\d/.test(s))
  if (statuses.length !== (bundle.entry?.length ?? 0) || failed.length > 0)
    throw new ConnectorsError(
      'FHIR_TRANSACTION_FAILED',
      'The FHIR server did not apply every entry.',
      {
        details: { statuses },
      },
    )
  const reports = await fhir.search<DiagnosticReport>('DiagnosticReport', {
    identifier: `${URI_SYSTEM}|${id}`,
  })
  if (reports.length !== 1)
    throw new ConnectorsError(
      'FHIR_TRANSACTION_FAILED',
      `The FHIR server holds ${reports.length} DiagnosticReports for one result identifier.`,
      { details: { identifier: id, count: reports.length } },
    )
  return { report: `DiagnosticReport/${reports[0]!.id}`, statuses }
}

/**
 * Sends a result Bundle from `createFhirResultBundle` as one transaction and checks that the
 * server holds exactly one DiagnosticReport for its identifier. Concurrent sends of the same
 * result in this process are serialised (a client-side guard), and every entry is a conditional
 * update on a deterministic identifier, so sending again changes nothing.
 *
 * @param fhir - a client from `createFhirClient` (timeouts, bounded retries).
 * @param bundle - the transaction Bundle.
 * @returns the report's reference and the status of each entry.
 * @throws {ConnectorsError} `FHIR_TRANSACTION_FAILED` when an entry failed or duplicates exist;
 * `FHIR_HTTP_ERROR` / `FHIR_TIMEOUT` / `FHIR_UNREACHABLE` from the client;
 * `CONNECTORS_INVALID_ARGUMENT` for a Bundle that is not a result transaction.
 * @example
 * ```ts
 * import { createFhirClient, sendFhirResults } from '@btt/connectors/ehr'
 * declare const bundle: import('@medplum/fhirtypes').Bundle
 * const { report } = await sendFhirResults(createFhirClient({ baseUrl: 'http://127.0.0.1:8103/fhir/R4' }), bundle)
 * ```
 */
export async function sendFhirResults(
  fhir: FhirClient,
  bundle: Bundle,
): Promise<SendFhirResultsReturnType> {
  const id = reportIdentifier(bundle)
  const key = `${fhir.baseUrl}|${id}`
  const previous = inFlight.get(key) ?? Promise.resolve()
  const mine = previous.catch(() => undefined).then(() => sendOnce(fhir, bundle, id))
  inFlight.set(key, mine)
  try {
    return await mine
  } finally {
    if (inFlight.get(key) === mine) inFlight.delete(key)
  }
}
