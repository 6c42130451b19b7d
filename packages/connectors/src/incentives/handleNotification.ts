import type { Resource } from '@medplum/fhirtypes'
import type { FhirClient } from '../fhir/createFhirClient.js'
import type { IntakeOutcome } from './awardEvent.js'
import type { IntakeStore } from './intakeStore.js'
import { parseNotification, type SubscriptionNotification } from './parseNotification.js'
import { changedSince } from './pollEvents.js'

export type NotificationContext = {
  fhir: FhirClient
  store: IntakeStore
  types: readonly string[]
  ingest(resource: Resource): Promise<IntakeOutcome>
}

export type NotificationResult = {
  type: SubscriptionNotification['type']
  /** Events of this notification already processed (a redelivery or a late, out-of-order one). */
  duplicates: number
  /** Missed events recovered (a gap in event numbers, or a heartbeat ahead of us). */
  caughtUp: boolean
  outcomes: IntakeOutcome[]
}

const counterKey = (s: string) => `subscription:${s}:last`
const timeKey = (s: string) => `subscription:${s}:at`

/** Fetches the events after `last` up to `until`: `$events` where the server has it, else a search since the last event's time. */
async function catchUp(
  ctx: NotificationContext,
  sub: string,
  last: number,
  until: number,
  outcomes: IntakeOutcome[],
) {
  let resources: Resource[] | undefined
  try {
    const missed = parseNotification(
      await ctx.fhir.request(
        'GET',
        `${sub}/$events?eventsSinceNumber=${last + 1}&eventsUntilNumber=${until}&content=full-resource`,
      ),
    )
    resources = [...missed.resources.values()]
  } catch {
    // no $events here: search everything changed since the last contiguous event (a minute of margin)
    const at = ctx.store.get(timeKey(sub))
    const since = at ? new Date(Date.parse(at) - 60_000).toISOString() : '1970-01-01T00:00:00Z'
    resources = (await changedSince(ctx.fhir, ctx.types, since)).resources
  }
  for (const r of resources) outcomes.push(await ctx.ingest(r))
  ctx.store.set(counterKey(sub), String(until))
}

/**
 * Processes one rest-hook notification (already known to be for a registered subscription):
 * handshake and heartbeat are acknowledged (a heartbeat whose events-since-start is ahead of us
 * triggers catch-up); each event is taken in event-number order: numbers already processed are
 * duplicates, a number past the next one means a gap, recovered before the event is processed.
 * The counter advances only after an event is processed, so a failure loses nothing.
 */
export async function handleNotification(
  ctx: NotificationContext,
  n: SubscriptionNotification,
): Promise<NotificationResult> {
  const outcomes: IntakeOutcome[] = []
  let last = Number(ctx.store.get(counterKey(n.subscription)) ?? 0)
  let duplicates = 0
  let caughtUp = false
  if (n.type === 'heartbeat' || n.type === 'query-status') {
    if (n.eventsSinceStart > last) {
      await catchUp(ctx, n.subscription, last, n.eventsSinceStart, outcomes)
      caughtUp = true
    }
    return { type: n.type, duplicates, caughtUp, outcomes }
  }
  if (n.type !== 'event-notification') return { type: n.type, duplicates, caughtUp, outcomes }
  for (const event of [...n.events].sort((a, b) => a.number - b.number)) {
    if (event.number <= last) {
      duplicates++
      continue
    }
    if (event.number > last + 1) {
      await catchUp(ctx, n.subscription, last, event.number - 1, outcomes)
      caughtUp = true
    }
    const resource = event.focus
      ? (n.resources.get(event.focus.replace(/^.*\/([A-Za-z]+\/[^/]+)$/, '$1')) ??
        (await ctx.fhir.request<Resource>(
          'GET',
          event.focus.replace(/^.*\/([A-Za-z]+\/[^/]+)$/, '$1'),
        )))
      : undefined
    if (resource) outcomes.push(await ctx.ingest(resource))
    last = event.number
    ctx.store.set(counterKey(n.subscription), String(last))
    if (event.timestamp) ctx.store.set(timeKey(n.subscription), event.timestamp)
  }
  return { type: n.type, duplicates, caughtUp, outcomes }
}
