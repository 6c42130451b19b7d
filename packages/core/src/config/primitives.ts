import { z } from 'zod'

/** A non-negative integer amount in base units: a bigint, or a decimal integer string (JSON). */
export const zAmount = z
  .union([z.bigint(), z.string().regex(/^\d+$/, 'expected a non-negative integer string')])
  .transform((value) => (typeof value === 'bigint' ? value : BigInt(value)))
  .refine((value) => value >= 0n, 'must not be negative')

/** Basis points, 0..10,000 (0%..100%). */
export const zBps = z.number().int().min(0).max(10_000)

/** Basis points that may exceed 100% (multipliers such as a 2.5x urgency). */
export const zMultiplierBps = z.number().int().min(0).max(1_000_000)

/** Fixed-point factor in parts per million (1,000,000 = 1.0), up to 100x. */
export const zPpm = z.number().int().min(0).max(100_000_000)

/** A whole number of months (MONTH = 1/12 of a 365.2425-day year). */
export const zMonths = z.number().int().min(0).max(1200)

/** Seconds, a non-negative integer. */
export const zSeconds = z.number().int().min(0)

/** An identifier: lowercase letters, digits and dashes. */
export const zId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes')
