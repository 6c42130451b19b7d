import { z } from 'zod'
import { zAmount, zSeconds } from '../config/primitives.js'
import { emissionCurveSchema } from '../config/schema.js'

export const emissionScheduleSchema = z
  .strictObject({
    /** Amount emitted over the whole schedule, in base units. */
    total: zAmount,
    /** Unix seconds at which emission starts. */
    start: zSeconds,
    /** Seconds over which the pool is emitted. */
    duration: zSeconds.min(1),
    /** Seconds per epoch; the last epoch is shorter when it does not divide `duration`. */
    epochLength: zSeconds.min(1),
    curve: emissionCurveSchema,
    /** `halving`: seconds between halvings. */
    halvingPeriod: zSeconds.min(1).optional(),
    /** `decay`: half-life of the emission rate, in seconds. */
    halfLife: zSeconds.min(1).optional(),
  })
  .refine((s) => s.curve !== 'halving' || s.halvingPeriod !== undefined, {
    message: 'a halving curve needs halvingPeriod',
    path: ['halvingPeriod'],
  })
  .refine((s) => s.curve !== 'decay' || s.halfLife !== undefined, {
    message: 'a decay curve needs halfLife',
    path: ['halfLife'],
  })
  .refine((s) => Math.ceil(s.duration / s.epochLength) <= 10_000_000, {
    message: 'more than 10,000,000 epochs',
    path: ['epochLength'],
  })

export type EmissionSchedule = z.output<typeof emissionScheduleSchema>
export type EmissionScheduleInput = z.input<typeof emissionScheduleSchema>
