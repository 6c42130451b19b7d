import type { Resource } from '@medplum/fhirtypes'
import { expect, test } from 'vitest'
import { careEventOf } from './careEventOf.js'

const p = { reference: 'Patient/p1' }
const at = '2026-03-01T10:00:00Z'
const t = Date.parse(at) / 1000

test.each([
  [
    {
      resourceType: 'Encounter',
      id: 'e',
      status: 'finished',
      type: [{ coding: [{ code: '99395' }] }],
      subject: p,
      period: { end: at },
    },
    'preventive-visit',
  ],
  [
    {
      resourceType: 'Immunization',
      id: 'i',
      status: 'completed',
      patient: p,
      occurrenceDateTime: at,
    },
    'preventive-visit',
  ],
  [
    { resourceType: 'CarePlan', id: 'c', status: 'completed', subject: p, period: { end: at } },
    'treatment-adherence',
  ],
  [
    { resourceType: 'Task', id: 't', status: 'completed', for: p, executionPeriod: { end: at } },
    'treatment-adherence',
  ],
  [
    {
      resourceType: 'Observation',
      id: 'o',
      status: 'final',
      code: { coding: [{ code: '55423-8' }] },
      subject: p,
      effectiveDateTime: at,
      valueQuantity: { value: 8000 },
    },
    'healthy-lifestyle',
  ],
])('%o is a %s event keyed by the resource', (resource, kind) => {
  expect(careEventOf(resource as Resource)).toEqual({
    eventId: `${resource.resourceType}/${resource.id}`,
    patient: 'Patient/p1',
    kind,
    at: t,
  })
})

test.each([
  {
    resourceType: 'Encounter',
    id: 'e',
    status: 'in-progress',
    type: [{ coding: [{ code: '99395' }] }],
    subject: p,
    period: { end: at },
  },
  {
    resourceType: 'Encounter',
    id: 'e',
    status: 'finished',
    type: [{ coding: [{ code: '12345' }] }],
    subject: p,
    period: { end: at },
  },
  { resourceType: 'Immunization', id: 'i', status: 'not-done', patient: p, occurrenceDateTime: at },
  {
    resourceType: 'Task',
    id: 't',
    status: 'completed',
    for: { reference: 'Group/g' },
    executionPeriod: { end: at },
  },
  {
    resourceType: 'Observation',
    id: 'o',
    status: 'final',
    code: { coding: [{ code: '55423-8' }] },
    subject: p,
    effectiveDateTime: at,
    valueQuantity: { value: 7999 },
  },
  {
    resourceType: 'Observation',
    id: 'o',
    status: 'preliminary',
    code: { coding: [{ code: '55423-8' }] },
    subject: p,
    effectiveDateTime: at,
    valueQuantity: { value: 9000 },
  },
  { resourceType: 'CarePlan', status: 'completed', subject: p, period: { end: at } },
  { resourceType: 'Patient', id: 'x' },
  { resourceType: 'Immunization', id: 'i', status: 'completed', patient: p },
])('%o earns nothing', (resource) => {
  expect(careEventOf(resource as Resource)).toBeNull()
})

test('something that is not a resource is refused with a code', () => {
  for (const bad of [null, 'Encounter/1', 42, {}])
    expect(() => careEventOf(bad as never)).toThrow(
      expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }),
    )
})
