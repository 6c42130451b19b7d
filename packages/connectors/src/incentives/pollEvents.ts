import type { Resource } from '@medplum/fhirtypes'
import type { FhirClient } from '../fhir/createFhirClient.js'

/** Care-event resource types the intake reads. */
export const INTAKE_TYPES = [
  'Encounter',
  'Immunization',
  'CarePlan',
  'Task',
  'Observation',
] as const

/**
 * Every resource of `types` changed at or after `since` (ISO instant), oldest first, and the new
 * checkpoint (the latest `meta.lastUpdated` seen, or `since` when nothing changed). Pages of
 * `pageSize` are followed by moving the lower bound; a resource seen twice is harmless (events
 * are keyed by resource).
 */
export async function changedSince(
  fhir: FhirClient,
  types: readonly string[],
  since: string,
  pageSize = 200,
): Promise<{ resources: Resource[]; checkpoint: string }> {
  const out = new Map<string, Resource>()
  let checkpoint = since
  for (const type of types) {
    let lower = since
    for (let page = 0; page < 1000; page++) {
      const batch = await fhir.search(type, {
        _lastUpdated: `ge${lower}`,
        _sort: '_lastUpdated',
        _count: String(pageSize),
      })
      for (const r of batch) out.set(`${r.resourceType}/${r.id}`, r)
      const last = batch.at(-1)?.meta?.lastUpdated
      if (last && last > checkpoint) checkpoint = last
      if (batch.length < pageSize || !last || last === lower) break
      lower = last
    }
  }
  const resources = [...out.values()].sort((a, b) =>
    (a.meta?.lastUpdated ?? '').localeCompare(b.meta?.lastUpdated ?? ''),
  )
  return { resources, checkpoint }
}
