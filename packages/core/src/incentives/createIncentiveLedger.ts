import { z } from 'zod'
import { argument, optionsArgument } from '../arguments.js'
import { allocationAmountsOf } from '../config/allocationAmounts.js'
import { defaultConfig } from '../config/parseConfig.js'
import { zAmount, zId, zSeconds } from '../config/primitives.js'
import type { EngineConfig } from '../config/schema.js'
import { useConfig } from '../config/useConfig.js'
import { MONTH } from '../constants.js'
import { CoreError } from '../errors.js'

export const careEventSchema = z.strictObject({
  /** Idempotency key: the same id never pays twice. */
  id: z.string().min(1).max(200),
  /** A pseudonymous patient id (never a name or MRN). */
  patientId: z.string().min(1).max(200),
  /** A key of `incentives.points`, e.g. `preventive-visit`. */
  kind: zId,
  /** When the care happened, unix seconds. */
  at: zSeconds,
})

export type CareEvent = z.input<typeof careEventSchema>

export type AwardStatus = 'awarded' | 'capped' | 'duplicate' | 'pool-exhausted'

export type AwardResult = {
  eventId: string
  status: AwardStatus
  /** Points granted (0 for a duplicate). */
  points: number
  /** Token base units paid from the community pool. */
  tokens: bigint
}

const snapshotSchema = z.strictObject({
  poolRemaining: zAmount,
  seen: z.array(z.string()),
  patients: z.record(
    z.string(),
    z.strictObject({
      lifetime: z.number().int().min(0),
      month: z.number().int(),
      monthPoints: z.number().int().min(0),
    }),
  ),
})

export type IncentiveLedgerSnapshot = z.input<typeof snapshotSchema>

const optionsSchema = z.strictObject({ snapshot: snapshotSchema.optional() })
const patientIdSchema = careEventSchema.shape.patientId

export type IncentiveLedger = {
  /** Awards points for one event; the same event id never pays twice. */
  award(event: CareEvent): AwardResult
  /** Tokens left in the community pool. */
  readonly poolRemaining: bigint
  /** Points a patient has earned in total. */
  pointsOf(patientId: string): number
  /** State as plain data, to persist; `createIncentiveLedger(config, { snapshot })` restores it. */
  snapshot(): IncentiveLedgerSnapshot
}

export type CreateIncentiveLedgerErrorType = CoreError

/**
 * Patient incentive rules: points for preventive-care visits, treatment-plan adherence and
 * healthy-lifestyle events, paid in tokens from the community pool (12% of supply by default).
 * Per-patient monthly and lifetime caps apply; an event id that was seen before pays nothing
 * (status `duplicate`); a partly capped award pays what fits (status `capped`); when the pool runs
 * dry the award is cut to what the pool holds (status `pool-exhausted`).
 *
 * The ledger is an in-memory state machine with no I/O; persist it with `snapshot()`.
 *
 * @param config - engine config; the model's defaults when omitted.
 * @param options - `{ snapshot? }` to restore a saved state.
 * @returns the ledger.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` / `CORE_INVALID_CONFIG` for invalid arguments; its
 * `award` throws `CORE_UNKNOWN_CARE_EVENT` for an event kind that earns no points.
 * @example
 * ```ts
 * import { createIncentiveLedger } from '@btt/core'
 * const ledger = createIncentiveLedger()
 * ledger.award({ id: 'evt-1', patientId: 'p-1', kind: 'preventive-visit', at: 1_767_225_600 }).points // 100
 * ledger.award({ id: 'evt-1', patientId: 'p-1', kind: 'preventive-visit', at: 1_767_225_600 }).status // 'duplicate'
 * ```
 */
export function createIncentiveLedger(
  config: Pick<EngineConfig, 'incentives' | 'allocation' | 'token'> = defaultConfig,
  options: { snapshot?: IncentiveLedgerSnapshot } = {},
): IncentiveLedger {
  const c = useConfig(config, ['incentives', 'allocation', 'token'])
  const rules = c.incentives
  const { snapshot: restored } = optionsArgument(optionsSchema, options, 'incentive ledger options')
  let poolRemaining =
    restored?.poolRemaining ??
    allocationAmountsOf(c).find((e) => e.release.kind === 'participation')?.amount ??
    0n
  const seen = new Set(restored?.seen ?? [])
  const patients = new Map(Object.entries(restored?.patients ?? {}))

  return {
    award(input) {
      const event = argument(careEventSchema, input, 'care event')
      const base = rules.points[event.kind]
      if (base === undefined)
        throw new CoreError('CORE_UNKNOWN_CARE_EVENT', `Unknown care event kind "${event.kind}".`, {
          details: { kind: event.kind, known: Object.keys(rules.points) },
          metaMessages: [`Known kinds: ${Object.keys(rules.points).join(', ')}`],
        })
      if (seen.has(event.id))
        return { eventId: event.id, status: 'duplicate', points: 0, tokens: 0n }
      seen.add(event.id)

      const month = Math.floor((event.at - c.token.genesis) / MONTH)
      const patient = patients.get(event.patientId) ?? { lifetime: 0, month, monthPoints: 0 }
      if (patient.month !== month) {
        patient.month = month
        patient.monthPoints = 0
      }
      const { points, status } = grant(rules, patient, base, poolRemaining)
      const tokens = BigInt(points) * rules.tokensPerPoint
      poolRemaining -= tokens
      patient.lifetime += points
      patient.monthPoints += points
      patients.set(event.patientId, patient)
      return { eventId: event.id, status, points, tokens }
    },
    get poolRemaining() {
      return poolRemaining
    },
    pointsOf(patientId) {
      argument(patientIdSchema, patientId, 'patient id')
      return patients.get(patientId)?.lifetime ?? 0
    },
    snapshot() {
      return {
        poolRemaining,
        seen: [...seen],
        patients: Object.fromEntries([...patients].map(([id, p]) => [id, { ...p }])),
      }
    },
  }
}

type Patient = { lifetime: number; month: number; monthPoints: number }

/** Points an event earns: its base, cut to the patient's caps, then to what the pool can pay. */
function grant(
  rules: EngineConfig['incentives'],
  patient: Patient,
  base: number,
  poolRemaining: bigint,
): { points: number; status: AwardStatus } {
  const room = Math.max(
    0,
    Math.min(
      rules.maxPointsPerPatientPerMonth - patient.monthPoints,
      rules.maxPointsPerPatient - patient.lifetime,
    ),
  )
  const points = Math.min(base, room)
  const status: AwardStatus = points < base ? 'capped' : 'awarded'
  if (rules.tokensPerPoint > 0n) {
    const affordable = poolRemaining / rules.tokensPerPoint
    if (BigInt(points) > affordable) return { points: Number(affordable), status: 'pool-exhausted' }
  }
  return { points, status }
}
