import type { IncomingMessage, ServerResponse } from 'node:http'
import { createIncentiveLedger, defaultConfig, type EngineConfig, parseWithCode } from '@btt/core'
import type { Ledger } from '@btt/payfi'
import type { Resource } from '@medplum/fhirtypes'
import { z } from 'zod'
import { readJsonBody } from '../cdshooks/readJsonBody.js'
import { ConnectorsError } from '../errors.js'
import type { FhirClient } from '../fhir/createFhirClient.js'
import {
  type AwardContext,
  awardEvent,
  type IntakeOutcome,
  patientAccount,
  pseudonymOf,
} from './awardEvent.js'
import { billSubscription } from './billSubscription.js'
import { careEventOf } from './careEventOf.js'
import { consentPeriods, covers, INCENTIVE_CONSENT_POLICY } from './consent.js'
import { handleNotification, type NotificationResult } from './handleNotification.js'
import { openIntakeStore } from './intakeStore.js'
import { parseNotification } from './parseNotification.js'
import { changedSince, INTAKE_TYPES } from './pollEvents.js'
import { type RedemptionSplit, redeemPoints } from './redeemPoints.js'

const optionsSchema = z.strictObject({
  fhir: z.custom<FhirClient>((v) => typeof v === 'object' && v !== null && 'request' in v),
  /** The durable points ledger (PayFi; points are the `POINTS` currency). */
  ledger: z.custom<Ledger>((v) => typeof v === 'object' && v !== null && 'write' in v),
  /** The intake's own SQLite state (awards by event, checkpoints, subscription counters). */
  statePath: z.string().min(1),
  /** Key of the HMAC that turns a FHIR patient reference into the ledger's pseudonym. */
  pseudonymKey: z.string().min(16),
  config: z
    .custom<Pick<EngineConfig, 'incentives' | 'allocation' | 'token' | 'fees'>>(
      (v) => typeof v === 'object' && v !== null,
    )
    .default(defaultConfig),
  /** Subscription ids (`Subscription/<id>`) whose notifications are accepted. */
  subscriptions: z.array(z.string().regex(/^Subscription\/[A-Za-z0-9\-.]{1,64}$/)).default([]),
  /** Partners and their redemption fee, basis points. */
  partners: z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/),
      z.strictObject({ feeBps: z.number().int().min(0).max(10_000) }),
    )
    .default({}),
  consentPolicy: z.url().default(INCENTIVE_CONSENT_POLICY),
  /** Where polling starts when there is no checkpoint yet. */
  pollFrom: z.iso.datetime({ offset: true }).default('1970-01-01T00:00:00Z'),
})

export type IncentiveEngineOptions = z.input<typeof optionsSchema>
export type CreateIncentiveEngineErrorType = ConnectorsError

export type IncentiveEngine = {
  /** Processes one EHR resource (at most one award per resource, ever). */
  ingest(resource: Resource): Promise<IntakeOutcome>
  /** Processes a rest-hook notification Bundle (parsed, checked, gaps recovered). */
  notify(bundle: unknown): Promise<NotificationResult>
  /** Polls every care-event type changed since the saved checkpoint (`_lastUpdated`), then saves the new one. */
  poll(): Promise<IntakeOutcome[]>
  /** A patient's points (`Patient/<id>`), or null without an active programme Consent. */
  balance(patient: string): Promise<bigint | null>
  redeem(o: {
    patient: string
    partner: string
    points: bigint
    idempotencyKey: string
  }): Promise<RedemptionSplit & { replayed: boolean }>
  bill: (o: {
    clinicId: string
    size: string
    period: string
    months?: number
  }) => ReturnType<typeof billSubscription>
  /** The rest-hook endpoint: a Node listener / express-style middleware for `POST …/notifications`. */
  handler(req: IncomingMessage, res: ServerResponse, next?: () => void): void
  close(): void
}

/**
 * The patient incentive intake: EHR events (rest-hook notifications of FHIR Subscriptions, R4
 * backport, or polling with `_lastUpdated`) become care events under @btt/core's rules and points
 * on PayFi's ledger, exactly once per event, within the caps; only for patients with an active
 * programme Consent. Also partner redemption (with the partner's fee) and provider billing by
 * tier (`subscriptionPrice`). Processing is serialised, so concurrent deliveries cannot race.
 *
 * @param options - see {@link IncentiveEngineOptions}.
 * @returns the engine.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT`; `INCENTIVE_LEDGER_FAILED` when the state cannot be opened.
 * @example
 * ```ts
 * import { openSqliteLedger } from '@btt/payfi'
 * import { createFhirClient, createIncentiveEngine } from '@btt/connectors/ehr'
 * const engine = createIncentiveEngine({ fhir: createFhirClient({ baseUrl: 'http://127.0.0.1:8103/fhir/R4' }), ledger: openSqliteLedger('points.sqlite'), statePath: 'intake.sqlite', pseudonymKey: 'a-long-secret-key-0123' })
 * await engine.poll()
 * ```
 */
export function createIncentiveEngine(options: IncentiveEngineOptions): IncentiveEngine {
  const o = parseWithCode(
    optionsSchema,
    options,
    'incentive engine options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const store = openIntakeStore(o.statePath)
  const ctx: AwardContext = {
    ...o,
    store,
    initialPool: createIncentiveLedger(o.config).poolRemaining,
  }
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task)
    queue = run.catch(() => undefined)
    return run
  }
  const ingestNow = async (resource: Resource): Promise<IntakeOutcome> => {
    const event = careEventOf(resource)
    if (!event)
      return {
        eventId: `${resource.resourceType}/${resource.id}`,
        status: 'not-eligible',
        points: 0,
      }
    return awardEvent(ctx, event)
  }
  const notificationContext = { fhir: o.fhir, store, types: INTAKE_TYPES, ingest: ingestNow }

  const notify = (bundle: unknown) =>
    serial(async () => {
      const n = parseNotification(bundle)
      if (!o.subscriptions.includes(n.subscription))
        throw new ConnectorsError(
          'SUBSCRIPTION_UNKNOWN',
          `No subscription ${n.subscription} is registered here.`,
          {
            details: { subscription: n.subscription },
          },
        )
      return handleNotification(notificationContext, n)
    })

  const engine: IncentiveEngine = {
    ingest: (resource) => serial(() => ingestNow(resource)),
    notify,
    poll: () =>
      serial(async () => {
        const since = store.get('poll:checkpoint') ?? o.pollFrom
        const { resources, checkpoint } = await changedSince(o.fhir, INTAKE_TYPES, since)
        const outcomes: IntakeOutcome[] = []
        for (const r of resources) outcomes.push(await ingestNow(r))
        store.set('poll:checkpoint', checkpoint)
        return outcomes
      }),
    async balance(patient) {
      if (
        !covers(
          await consentPeriods(o.fhir, patient, o.consentPolicy),
          Math.floor(Date.now() / 1000),
        )
      )
        return null
      const account = await o.ledger.getAccount(
        patientAccount(pseudonymOf(o.pseudonymKey, patient)),
      )
      return account ? account.creditsPosted - account.debitsPosted - account.debitsPending : 0n
    },
    redeem: async (r) => {
      const partner = o.partners[r.partner]
      if (!partner)
        throw new ConnectorsError(
          'CONNECTORS_INVALID_ARGUMENT',
          `Unknown partner "${r.partner}".`,
          { details: { partner: r.partner } },
        )
      return serial(() =>
        redeemPoints(o.ledger, {
          ...r,
          account: patientAccount(pseudonymOf(o.pseudonymKey, r.patient)),
          feeBps: partner.feeBps,
        }),
      )
    },
    bill: (b) => serial(() => billSubscription(o.ledger, o.config, b)),
    handler: (req, res, next) => notificationListener(engine, req, res, next),
    close: () => store.close(),
  }
  return engine
}

const statusOf = (error: unknown) => {
  const code = error instanceof ConnectorsError ? error.code : ''
  if (code === 'SUBSCRIPTION_BAD_NOTIFICATION') return 400
  if (code === 'SUBSCRIPTION_UNKNOWN') return 404
  return 503 // FHIR or ledger trouble: the EHR delivers again, and nothing was half-done
}

function notificationListener(
  engine: IncentiveEngine,
  req: IncomingMessage,
  res: ServerResponse,
  next?: () => void,
): void {
  if (req.method !== 'POST' || !/\/notifications\/?(\?.*)?$/.test(req.url ?? '')) {
    if (next) next()
    else res.writeHead(404).end()
    return
  }
  readJsonBody(req, 16 * 1024 * 1024)
    .then((body) => engine.notify(body))
    .then((result) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ type: result.type, events: result.outcomes.length }))
    })
    .catch((error: unknown) => {
      const code = error instanceof ConnectorsError ? error.code : 'INTERNAL'
      res
        .writeHead(statusOf(error), { 'content-type': 'application/json' })
        .end(JSON.stringify({ code }))
    })
}
