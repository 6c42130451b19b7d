import type {
  CarePlan,
  Encounter,
  Immunization,
  Observation,
  Resource,
  Task,
} from '@medplum/fhirtypes'
import { ConnectorsError } from '../errors.js'

/** Which FHIR events earn which care-event kind of @btt/core's incentive rules. */
export type CareEventRules = {
  /** Encounter.type codes (any system) of preventive visits. */
  preventiveEncounterCodes: readonly string[]
  /** Observation codes of step counts, and the count a day that earns a healthy-lifestyle event. */
  stepCodes: readonly string[]
  minSteps: number
}

export const defaultCareEventRules: CareEventRules = {
  // SNOMED CT: check-up, well-child visit, health maintenance; CPT preventive medicine 99381–99397
  preventiveEncounterCodes: [
    '185349003',
    '410620009',
    '310417005',
    ...Array.from({ length: 17 }, (_, i) => `${99381 + i}`),
  ],
  // LOINC: steps in 24 hours (measured), number of steps (pedometer)
  stepCodes: ['41950-7', '55423-8'],
  minSteps: 8000,
}

/** The care event a resource is, or null when it earns nothing (wrong status, code or value). */
export type CareEventCandidate = {
  /** The event's identity: one award per resource, however often (and in whatever version) it comes. */
  eventId: string
  /** `Patient/<id>`. */
  patient: string
  kind: 'preventive-visit' | 'treatment-adherence' | 'healthy-lifestyle'
  /** Unix seconds. */
  at: number
}

const seconds = (...dates: (string | undefined)[]): number | undefined => {
  for (const d of dates) {
    const t = d ? Date.parse(d) : Number.NaN
    if (Number.isFinite(t)) return Math.floor(t / 1000)
  }
  return undefined
}
const codes = (c: { coding?: { code?: string }[] } | undefined) =>
  (c?.coding ?? []).map((k) => k.code ?? '')

function classify(r: Resource, rules: CareEventRules): Omit<CareEventCandidate, 'eventId'> | null {
  const of = (
    patient: string | undefined,
    kind: CareEventCandidate['kind'],
    at: number | undefined,
  ) => (patient?.startsWith('Patient/') && at !== undefined ? { patient, kind, at } : null)
  switch (r.resourceType) {
    case 'Encounter': {
      const e = r as Encounter
      const preventive = (e.type ?? []).some((t) =>
        codes(t).some((c) => rules.preventiveEncounterCodes.includes(c)),
      )
      return e.status === 'finished' && preventive
        ? of(e.subject?.reference, 'preventive-visit', seconds(e.period?.end, e.period?.start))
        : null
    }
    case 'Immunization': {
      const i = r as Immunization
      return i.status === 'completed'
        ? of(i.patient?.reference, 'preventive-visit', seconds(i.occurrenceDateTime, i.recorded))
        : null
    }
    case 'CarePlan': {
      const c = r as CarePlan
      return c.status === 'completed'
        ? of(
            c.subject?.reference,
            'treatment-adherence',
            seconds(c.period?.end, c.meta?.lastUpdated),
          )
        : null
    }
    case 'Task': {
      const t = r as Task
      return t.status === 'completed'
        ? of(
            t.for?.reference,
            'treatment-adherence',
            seconds(t.executionPeriod?.end, t.lastModified),
          )
        : null
    }
    case 'Observation': {
      const o = r as Observation
      const steps = codes(o.code).some((c) => rules.stepCodes.includes(c))
      const enough = (o.valueQuantity?.value ?? 0) >= rules.minSteps
      return ['final', 'amended', 'corrected'].includes(o.status) && steps && enough
        ? of(
            o.subject?.reference,
            'healthy-lifestyle',
            seconds(o.effectiveDateTime, o.effectivePeriod?.end, o.issued),
          )
        : null
    }
    default:
      return null
  }
}

/**
 * The care event an EHR resource records, under the rules: a finished preventive Encounter or a
 * completed Immunization is a preventive visit; a completed CarePlan or Task is treatment
 * adherence; a final step-count Observation at or above `minSteps` is a healthy-lifestyle event.
 *
 * @param resource - the resource as the EHR sent or returned it.
 * @param rules - the codes and thresholds.
 * @returns the event, or null when the resource earns nothing.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for something that is not a resource.
 */
export function careEventOf(
  resource: Resource,
  rules: CareEventRules = defaultCareEventRules,
): CareEventCandidate | null {
  if (
    typeof resource !== 'object' ||
    resource === null ||
    typeof resource.resourceType !== 'string'
  )
    throw new ConnectorsError(
      'CONNECTORS_INVALID_ARGUMENT',
      'A care event must be a FHIR resource.',
      {
        details: { type: resource === null ? 'null' : typeof resource },
      },
    )
  if (!resource.id) return null
  const c = classify(resource, rules)
  return c ? { ...c, eventId: `${resource.resourceType}/${resource.id}` } : null
}
