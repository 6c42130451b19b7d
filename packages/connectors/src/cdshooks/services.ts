/** A CDS service as its discovery entry describes it (CDS Hooks 2.0). */
export type CdsServiceDefinition = {
  hook: string
  id: string
  title: string
  description: string
  prefetch: Record<string, string>
  usageRequirements?: string
}

/** Prefetch keys a service cannot answer without (412 when neither prefetched nor fetchable). */
export const requiredPrefetch: Record<string, readonly string[]> = {
  'btt-patient-view': ['patient', 'reports'],
  'btt-order-sign': ['patient'],
}

/** The services `createCdsHooksHandler` offers, as `GET /cds-services` lists them. */
export const cdsServices: readonly CdsServiceDefinition[] = [
  {
    hook: 'patient-view',
    id: 'btt-patient-view',
    title: 'BTT AI findings and incentive balance',
    description:
      "Shows the patient's latest AI imaging findings and, where the patient consented to the incentive programme, their points balance.",
    prefetch: {
      patient: 'Patient/{{context.patientId}}',
      reports: 'DiagnosticReport?subject=Patient/{{context.patientId}}&_sort=-issued&_count=5',
      observations: 'Observation?subject=Patient/{{context.patientId}}&category=imaging&_count=100',
    },
  },
  {
    hook: 'order-sign',
    id: 'btt-order-sign',
    title: 'BTT AI analysis for imaging orders',
    description:
      'For an imaging order being signed, tells that an AI analysis is available and its quoted price.',
    prefetch: { patient: 'Patient/{{context.patientId}}' },
  },
]

/** A prefetch template with the request's context filled in (`{{context.x}}`, `{{userPractitionerId}}`). */
export function fillTemplate(
  template: string,
  context: Record<string, unknown>,
): string | undefined {
  let missing = false
  const out = template.replace(/\{\{\s*context\.([A-Za-z]+)\s*\}\}/g, (_, name: string) => {
    const v = context[name]
    if (typeof v !== 'string' || !/^[A-Za-z0-9\-.]{1,64}$/.test(v)) missing = true
    return encodeURIComponent(String(v))
  })
  return missing ? undefined : out
}
