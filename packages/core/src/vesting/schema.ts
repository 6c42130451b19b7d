import { z } from 'zod'
import { argument, optionsArgument } from '../arguments.js'
import { zAmount, zBps, zId, zMonths, zSeconds } from '../config/primitives.js'

/**
 * The vesting rules, written once. The engine config's release schemas (months after genesis),
 * the schedules that `vestedAmount` and `milestoneVestedAmount` take (seconds) and any other
 * package's schema (e.g. the simulator's scenario) check cliffs and milestones with these.
 */

const whole = z.number().int().min(0)
const milestoneOptions = z.strictObject({
  end: whole.optional(),
  notBeforeKey: z.string().min(1).optional(),
})
const milestoneArguments = new Map<string, z.ZodType>()
function milestonesArgument(key: string): z.ZodType {
  let schema = milestoneArguments.get(key)
  if (!schema) {
    schema = z.array(z.looseObject({ id: z.string(), shareBps: zBps, [key]: whole.optional() }))
    if (milestoneArguments.size < 16) milestoneArguments.set(key, schema)
  }
  return schema
}
const cliffArgument = z.looseObject({
  cliff: whole.optional(),
  delay: whole.optional(),
  duration: whole,
})
const pathSchema = z.array(z.union([z.string(), z.number()]))
const refinementArguments = z.object({
  ctx: z.looseObject({ addIssue: z.function() }),
  issues: z.array(z.looseObject({ path: pathSchema, message: z.string() })),
  prefix: pathSchema,
})

/** One problem a vesting check found: a path relative to the checked object, and a message. */
export type VestingIssue = { path: (string | number)[]; message: string }

/**
 * Checks a list of milestones: their shares sum to exactly 10,000 bps (100%), their ids are
 * unique and, when `end` is given, none unlocks after the end of the release.
 *
 * @param milestones - `{ id, shareBps, notBefore? }` each (`notBefore` in the caller's unit).
 * @param options - `{ end?, notBeforeKey? }`: the release's end in the same unit, and the name of
 * the field holding each milestone's earliest time (`notBefore` by default).
 * @returns the issues found, each with a path relative to the list; empty when the list is valid.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` when the list or options are malformed (the check
 * itself reports problems as issues, it does not throw them).
 * @example
 * ```ts
 * import { checkMilestones } from '@btt/core'
 * checkMilestones([{ id: 'a', shareBps: 9000 }]) // [{ path: [], message: 'milestone shares must sum to 10000 bps, got 9000' }]
 * ```
 */
export function checkMilestones(
  milestones: readonly { id: string; shareBps: number; [key: string]: unknown }[],
  options: { end?: number; notBeforeKey?: string } = {},
): VestingIssue[] {
  const { end, notBeforeKey: key = 'notBefore' } = optionsArgument(
    milestoneOptions,
    options,
    'milestone check options',
  )
  argument(milestonesArgument(key), milestones, 'milestones')
  return milestoneIssues(milestones, end, key)
}

type Milestone = { id: string; shareBps: number; [key: string]: unknown }

/** {@link checkMilestones} for values a schema has already typed (no argument checks). */
function milestoneIssues(
  milestones: readonly Milestone[],
  end: number | undefined,
  key: string,
): VestingIssue[] {
  const issues: VestingIssue[] = []
  const sum = milestones.reduce((s, m) => s + m.shareBps, 0)
  if (sum !== 10_000)
    issues.push({ path: [], message: `milestone shares must sum to 10000 bps, got ${sum}` })
  const seen = new Set<string>()
  milestones.forEach((m, i) => {
    if (seen.has(m.id)) issues.push({ path: [i, 'id'], message: `duplicate id "${m.id}"` })
    seen.add(m.id)
    const notBefore = m[key]
    if (end !== undefined && typeof notBefore === 'number' && notBefore > end)
      issues.push({ path: [i, key], message: 'must not be after the end of the release' })
  })
  return issues
}

/**
 * Checks a cliff against the end of its linear release: a cliff after `delay + duration` would
 * hold back tokens that have fully vested.
 *
 * @param release - `{ cliff?, delay?, duration }` in one unit (seconds or months).
 * @returns the issues found (path `[]`, relative to the cliff field); empty when valid.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` when a field is not a whole number ≥ 0.
 * @example
 * ```ts
 * import { checkCliff } from '@btt/core'
 * checkCliff({ cliff: 40, delay: 6, duration: 30 }).length // 1
 * ```
 */
export function checkCliff(release: {
  cliff?: number | undefined
  delay?: number | undefined
  duration: number
}): VestingIssue[] {
  argument(cliffArgument, release, 'release')
  return cliffIssues(release)
}

/** {@link checkCliff} for values a schema has already typed. */
function cliffIssues(release: {
  cliff?: number | undefined
  delay?: number | undefined
  duration: number
}): VestingIssue[] {
  const end = (release.delay ?? 0) + release.duration
  return (release.cliff ?? 0) > end
    ? [{ path: [], message: 'cliff must not be after the end of vesting' }]
    : []
}

/**
 * Adds vesting issues to a zod refinement context, under `prefix`: how a schema (here or in
 * another package) applies {@link checkMilestones} and {@link checkCliff}.
 *
 * @param ctx - the context `superRefine` passes.
 * @param issues - what a check returned.
 * @param prefix - the path of the checked field inside the schema's value.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` when `ctx` has no `addIssue` or the issues are malformed.
 * @example
 * ```ts
 * import { addVestingIssues, checkMilestones } from '@btt/core'
 * import { z } from 'zod'
 * const tranches = z.array(z.object({ id: z.string(), shareBps: z.number().int() }))
 *   .superRefine((list, ctx) => addVestingIssues(ctx, checkMilestones(list)))
 * ```
 */
export function addVestingIssues(
  ctx: z.RefinementCtx,
  issues: readonly VestingIssue[],
  prefix: readonly (string | number)[] = [],
): void {
  argument(refinementArguments, { ctx, issues, prefix }, 'vesting issues')
  addIssues(ctx, issues, prefix)
}

function addIssues(
  ctx: z.RefinementCtx,
  issues: readonly VestingIssue[],
  prefix: readonly (string | number)[],
): void {
  for (const issue of issues)
    ctx.addIssue({ code: 'custom', path: [...prefix, ...issue.path], message: issue.message })
}

/** A linear schedule in seconds, as {@link vestedAmount} takes it. */
export const vestingScheduleSchema = z
  .strictObject({
    /** Amount vesting, in base units. */
    total: zAmount,
    /** Unix seconds at which the schedule starts. */
    start: zSeconds,
    /** Seconds of linear vesting once the delay is over; 0 vests everything at once. */
    duration: zSeconds,
    /** Seconds after `start` before anything vests; the linear curve starts after it. */
    delay: zSeconds.optional(),
    /** Seconds after `start` before anything vests; the curve still starts at `start`. */
    cliff: zSeconds.optional(),
  })
  .superRefine((s, ctx) => addIssues(ctx, cliffIssues(s), ['cliff']))

export type VestingSchedule = z.output<typeof vestingScheduleSchema>
export type VestingScheduleInput = z.input<typeof vestingScheduleSchema>

/** A milestone-gated schedule in seconds, as {@link milestoneVestedAmount} takes it. */
export const milestoneScheduleSchema = z
  .strictObject({
    total: zAmount,
    start: zSeconds,
    tranches: z
      .array(
        z.strictObject({
          id: zId,
          shareBps: zBps,
          /** Seconds after `start` before the tranche can unlock, attested or not. */
          notBefore: zSeconds,
        }),
      )
      .min(1),
  })
  .superRefine((s, ctx) =>
    addIssues(ctx, milestoneIssues(s.tranches, undefined, 'notBefore'), ['tranches']),
  )

export type MilestoneSchedule = z.input<typeof milestoneScheduleSchema>

/** An allocation released linearly, in months after genesis (the engine config's form). */
export const linearReleaseSchema = z
  .strictObject({
    kind: z.literal('linear'),
    /** Months after genesis before anything vests (the model's "延遲"). */
    delayMonths: zMonths.default(0),
    /** Months over which the amount vests linearly once the delay is over. */
    durationMonths: zMonths,
    /** Optional cliff, in months after genesis (OpenZeppelin VestingWalletCliff semantics). */
    cliffMonths: zMonths.optional(),
  })
  .superRefine((r, ctx) =>
    addIssues(
      ctx,
      cliffIssues({ cliff: r.cliffMonths, delay: r.delayMonths, duration: r.durationMonths }),
      ['cliffMonths'],
    ),
  )

/** An allocation released by attested milestones, in months after genesis. */
export const milestoneReleaseSchema = z
  .strictObject({
    kind: z.literal('milestones'),
    durationMonths: zMonths,
    milestones: z
      .array(
        z.strictObject({
          id: zId,
          description: z.string(),
          shareBps: zBps,
          /** The tranche cannot unlock before this many months after genesis, even if attested. */
          notBeforeMonths: zMonths,
        }),
      )
      .min(1),
  })
  .superRefine((r, ctx) =>
    addIssues(ctx, milestoneIssues(r.milestones, r.durationMonths, 'notBeforeMonths'), [
      'milestones',
    ]),
  )

/** `{ at }`: a point in time, unix seconds. */
export const atSchema = z.strictObject({ at: zSeconds })
