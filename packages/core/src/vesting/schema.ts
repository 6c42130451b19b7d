import { z } from 'zod'
import { zAmount, zSeconds } from '../config/primitives.js'

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
  .refine((s) => (s.cliff ?? 0) <= (s.delay ?? 0) + s.duration, {
    message: 'cliff must not be after the end of vesting',
    path: ['cliff'],
  })

export type VestingSchedule = z.output<typeof vestingScheduleSchema>
export type VestingScheduleInput = z.input<typeof vestingScheduleSchema>

export const atSchema = z.strictObject({ at: zSeconds })
