import { parseWithCode } from '@btt/core'
import type { Resource } from '@medplum/fhirtypes'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'

const count = z.union([z.string().regex(/^\d{1,15}$/), z.number().int().min(0)]).transform(Number)

const part = z.looseObject({
  name: z.string(),
  valueString: z.string().optional(),
  valueInteger: z.number().optional(),
  valueInteger64: z.union([z.string(), z.number()]).optional(),
  valueUnsignedInt: z.number().optional(),
  valueCode: z.string().optional(),
  valueInstant: z.string().optional(),
  valueDateTime: z.string().optional(),
  valueReference: z.looseObject({ reference: z.string().optional() }).optional(),
  valueCanonical: z.string().optional(),
  get part() {
    return z.array(part).optional()
  },
})
type Part = z.infer<typeof part>

const bundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.enum(['history', 'subscription-notification']),
  entry: z
    .array(
      z.looseObject({
        fullUrl: z.string().optional(),
        resource: z.looseObject({ resourceType: z.string() }).optional(),
      }),
    )
    .min(1),
})

export type SubscriptionNotification = {
  /** `Subscription/<id>` (the last two path segments of the reference). */
  subscription: string
  type: 'handshake' | 'heartbeat' | 'event-notification' | 'query-status' | 'query-event'
  eventsSinceStart: number
  events: { number: number; timestamp?: string; focus?: string }[]
  /** The resources the notification carries (full-resource payload), by `Type/id`. */
  resources: Map<string, Resource>
}

const bad = (message: string, details: Record<string, unknown> = {}) =>
  new ConnectorsError('SUBSCRIPTION_BAD_NOTIFICATION', message, { details })

const valueIn = (p: Part | undefined) =>
  p?.valueString ??
  p?.valueInteger64 ??
  p?.valueInteger ??
  p?.valueUnsignedInt ??
  p?.valueCode ??
  p?.valueReference?.reference

/**
 * Reads an R4 backport (or R5) subscription notification Bundle: the SubscriptionStatus
 * Parameters (subscription, type, events-since-subscription-start, each notification-event with
 * its event-number, timestamp and focus) and the resources it carries.
 *
 * @throws {ConnectorsError} `SUBSCRIPTION_BAD_NOTIFICATION` naming what is wrong.
 */
export function parseNotification(value: unknown): SubscriptionNotification {
  const bundle = parseWithCode(
    bundleSchema,
    value,
    'subscription notification',
    ConnectorsError,
    'SUBSCRIPTION_BAD_NOTIFICATION',
  )
  const status = bundle.entry[0]?.resource as
    | { resourceType: string; parameter?: unknown }
    | undefined
  if (status?.resourceType !== 'Parameters' && status?.resourceType !== 'SubscriptionStatus')
    throw bad('The first entry is not a SubscriptionStatus (Parameters).')
  const params = z.array(part).safeParse(status.parameter ?? [])
  if (!params.success) throw bad('The SubscriptionStatus parameters are malformed.')
  const get = (name: string) => params.data.find((p) => p.name === name)
  const subscription = /(Subscription\/[A-Za-z0-9\-.]{1,64})$/.exec(
    String(valueIn(get('subscription')) ?? ''),
  )?.[1]
  const type = z
    .enum(['handshake', 'heartbeat', 'event-notification', 'query-status', 'query-event'])
    .safeParse(valueIn(get('type')))
  const since = count.safeParse(valueIn(get('events-since-subscription-start')) ?? 0)
  if (!subscription || !type.success || !since.success)
    throw bad('subscription, type or events-since-subscription-start is missing or malformed.')
  const events = params.data
    .filter((p) => p.name === 'notification-event')
    .map((p) => {
      const number = count.safeParse(valueIn(p.part?.find((x) => x.name === 'event-number')))
      if (!number.success) throw bad('A notification-event has no valid event-number.')
      const timestamp = p.part?.find((x) => x.name === 'timestamp')?.valueInstant
      const focus = p.part?.find((x) => x.name === 'focus')?.valueReference?.reference
      return {
        number: number.data,
        ...(timestamp ? { timestamp } : {}),
        ...(focus ? { focus } : {}),
      }
    })
  if (events.some((e) => e.number > since.data))
    throw bad('An event-number is above events-since-subscription-start.', {
      eventsSinceStart: since.data,
    })
  const resources = new Map<string, Resource>()
  for (const e of bundle.entry.slice(1)) {
    const r = e.resource as Resource | undefined
    if (r?.id) resources.set(`${r.resourceType}/${r.id}`, r)
  }
  return { subscription, type: type.data, eventsSinceStart: since.data, events, resources }
}
