import { expect, test } from 'vitest'
import { parseNotification } from './parseNotification.js'

const status = (parameter: unknown[]) => ({
  resourceType: 'Bundle',
  type: 'history',
  entry: [{ resource: { resourceType: 'Parameters', parameter } }],
})
const base = [
  {
    name: 'subscription',
    valueReference: { reference: 'https://ehr.example/fhir/Subscription/s-1' },
  },
  { name: 'type', valueCode: 'event-notification' },
  { name: 'events-since-subscription-start', valueString: '4' },
]
const event = (n: unknown) => ({
  name: 'notification-event',
  part: [
    { name: 'event-number', valueString: n },
    { name: 'focus', valueReference: { reference: 'Encounter/e1' } },
  ],
})

test('reads the subscription, type, counter, events and carried resources', () => {
  const b = status([...base, event('3'), event('4')])
  b.entry.push({ resource: { resourceType: 'Encounter', id: 'e1' } } as never)
  const n = parseNotification(b)
  expect(n).toMatchObject({
    subscription: 'Subscription/s-1',
    type: 'event-notification',
    eventsSinceStart: 4,
  })
  expect(n.events.map((e) => e.number)).toEqual([3, 4])
  expect([...n.resources.keys()]).toEqual(['Encounter/e1'])
})

test.each([
  ['not a Bundle', { resourceType: 'Patient' }],
  ['no entries', { resourceType: 'Bundle', type: 'history', entry: [] }],
  ['a searchset', { ...status(base), type: 'searchset' }],
  [
    'no status first',
    {
      resourceType: 'Bundle',
      type: 'history',
      entry: [{ resource: { resourceType: 'Encounter' } }],
    },
  ],
  ['no subscription', status(base.slice(1))],
  ['an unknown type', status([base[0], { name: 'type', valueCode: 'party' }, base[2]])],
  [
    'a non-numeric counter',
    status([base[0], base[1], { name: 'events-since-subscription-start', valueString: 'many' }]),
  ],
  ['an event without a number', status([...base, { name: 'notification-event', part: [] }])],
  ['a non-numeric event number', status([...base, event('three')])],
  ['an event number above the counter', status([...base, event('5')])],
  ['a negative event number', status([...base, event('-1')])],
])('%s → SUBSCRIPTION_BAD_NOTIFICATION', (_, bundle) => {
  expect(() => parseNotification(bundle)).toThrow(
    expect.objectContaining({ code: 'SUBSCRIPTION_BAD_NOTIFICATION' }),
  )
})
