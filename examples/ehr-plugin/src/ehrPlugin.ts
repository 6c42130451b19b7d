import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { analyze } from '@btt/compute'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import {
  createCdsHooksHandler,
  createFhirClient,
  createFhirResultBundle,
  createIncentiveEngine,
  INCENTIVE_CONSENT_POLICY,
  type IncentiveEngine,
  sendFhirResults,
} from '@btt/connectors/ehr'
import { openSqliteLedger } from '@btt/payfi'
import { startFhirServer, startSmartAuthServer } from '@btt/testing'

const STUDY = '1.2.826.0.1.3680043.10.1398.914'
const at = (d: string) => `${d}T10:00:00Z`

/**
 * The EHR plugin walkthrough, in a folder: a FHIR R4 server (Medplum's engine) and a SMART
 * authorization server start on loopback; a synthetic chest study is analysed and its findings
 * land in the FHIR server as a linked DiagnosticReport (sent twice: one report); the EHR calls
 * the CDS Hooks `patient-view` service with a signed JWT and gets the findings card; the patient,
 * who consented to the incentive programme, earns points for a check-up, a vaccination and a
 * completed care plan (delivered twice), and redeems some at a partner pharmacy.
 *
 * @returns the lines it prints.
 */
export async function ehrPluginWalkthrough(dir: string): Promise<string[]> {
  const out: string[] = []
  const say = (line: string) => out.push(line)
  mkdirSync(dir, { recursive: true })
  const fhirServer = await startFhirServer()
  const ehr = await startSmartAuthServer()
  const fhir = createFhirClient({ baseUrl: fhirServer.url })
  try {
    // 1. the study, analysed on this machine
    const file = join(dir, 'chest.dcm')
    const frame = syntheticChest({
      seed: 914,
      nodules: [{ x: 300, y: 220, radius: 12, contrast: 650 }],
    })
    writeFileSync(
      file,
      writeDicom({
        frames: [frame],
        rows: 512,
        columns: 512,
        studyInstanceUid: STUDY,
        seriesInstanceUid: `${STUDY}.1`,
        sopInstanceUid: `${STUDY}.1.1`,
        patientName: 'Li^Na',
        patientId: 'MRN-4711',
      }),
    )
    const result = await analyze(file)
    const patient = await fhir.request<{ id: string }>('POST', 'Patient', {
      resourceType: 'Patient',
      identifier: [{ system: 'urn:mrn', value: 'MRN-4711' }],
    })
    say(
      `1. ${result.model.name} on ${STUDY}: ${result.images[0]!.findings.map((f) => `${f.label} ${f.present ? 'present' : 'absent'}`).join(', ')}`,
    )

    // 2. the findings into the EHR, twice: one report
    const bundle = createFhirResultBundle(result, {
      patient: { reference: `Patient/${patient.id}` },
      idempotencyKey: `${STUDY}|${result.model.sha256}`,
    })
    writeFileSync(join(dir, 'result.fhir.json'), JSON.stringify(bundle, null, 2))
    const first = await sendFhirResults(fhir, bundle)
    await sendFhirResults(fhir, bundle)
    const reports = await fhir.search('DiagnosticReport', { subject: `Patient/${patient.id}` })
    say(
      `2. ${first.report} with ${bundle.entry!.length - 3} Observation(s); sent twice, ${reports.length} report(s) on the server`,
    )

    // 3. the EHR opens the chart: CDS Hooks patient-view with a signed JWT
    const cards = await patientView(ehr, fhirServer.url, patient.id)
    say(`3. patient-view card: ${cards}`)

    // 4. incentives: consent, three care events (the vaccination delivered twice), points, redemption
    await fhir.request('POST', 'Consent', {
      resourceType: 'Consent',
      status: 'active',
      scope: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' },
        ],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: `Patient/${patient.id}` },
      dateTime: at('2026-01-01'),
      policy: [{ uri: INCENTIVE_CONSENT_POLICY }],
      provision: { type: 'permit', period: { start: at('2026-01-01') } },
    })
    const ref = { reference: `Patient/${patient.id}` }
    await fhir.request('POST', 'Encounter', {
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'AMB' },
      type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003' }] }],
      subject: ref,
      period: { start: at('2026-02-02'), end: at('2026-02-02') },
    })
    const vaccination = await fhir.request<Parameters<IncentiveEngine['ingest']>[0]>(
      'POST',
      'Immunization',
      {
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: { text: 'influenza' },
        patient: ref,
        occurrenceDateTime: at('2026-02-03'),
      },
    )
    await fhir.request('POST', 'CarePlan', {
      resourceType: 'CarePlan',
      status: 'completed',
      intent: 'plan',
      subject: ref,
      period: { end: at('2026-02-20') },
    })
    const ledger = openSqliteLedger(join(dir, 'points.sqlite'))
    const engine = createIncentiveEngine({
      fhir,
      ledger,
      statePath: join(dir, 'intake.sqlite'),
      pseudonymKey: 'example-pseudonym-key-2026',
      partners: { pharmacy: { feeBps: 500 } },
    })
    try {
      const outcomes = [...(await engine.poll()), await engine.ingest(vaccination)] // the vaccination arrives again
      say(
        `4. ${outcomes.filter((o) => o.points > 0).length} events awarded, ${outcomes.filter((o) => o.status === 'duplicate').length} duplicates ignored: ${await engine.balance(`Patient/${patient.id}`)} points`,
      )
      const r = await engine.redeem({
        patient: `Patient/${patient.id}`,
        partner: 'pharmacy',
        points: 100n,
        idempotencyKey: 'voucher-1',
      })
      say(
        `5. redeemed 100 points at the pharmacy: ${r.net} to the partner, ${r.fee} fee; ${await engine.balance(`Patient/${patient.id}`)} left`,
      )
    } finally {
      engine.close()
      await ledger.close()
    }
  } finally {
    await Promise.all([fhirServer.stop(), ehr.stop()])
  }
  return out
}

async function patientView(
  ehr: Awaited<ReturnType<typeof startSmartAuthServer>>,
  fhirUrl: string,
  patientId: string,
): Promise<string> {
  const server = createServer((req, res) => handler(req, res))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const handler = createCdsHooksHandler({
    serviceUrl: base,
    verifier: {
      issuers: { [ehr.url]: { jwksUrl: ehr.ehrJwksUrl, jkuAllowlist: [ehr.ehrJwksUrl] } },
    },
    fhirServers: [fhirUrl],
  })
  try {
    const service = `${base}/cds-services/btt-patient-view`
    const res = await fetch(service, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await ehr.signEhrJwt({ aud: service })}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        hook: 'patient-view',
        hookInstance: crypto.randomUUID(),
        context: { patientId },
        fhirServer: fhirUrl,
        fhirAuthorization: { access_token: 'ehr', token_type: 'Bearer' },
      }),
    })
    const { cards } = (await res.json()) as { cards: { summary: string }[] }
    return cards.map((c) => c.summary).join(' | ')
  } finally {
    server.close()
  }
}
