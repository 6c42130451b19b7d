import { z } from 'zod'
import { signedReceiptSchema } from '../network/receipt.js'

const units = z.string().regex(/^(0|[1-9][0-9]*)$/)

/** A paid job as it enters an epoch: the receipt, the clinic, and the quote's usage. */
export const epochReceiptSchema = z.strictObject({
  clinic: z.string().min(1),
  billed: units,
  currency: z.string().min(1),
  usage: z.strictObject({
    gpuSeconds: z.number().min(0),
    dataBytes: units,
    urgency: z.string().min(1),
  }),
  signed: signedReceiptSchema,
  /** The coordinator's measured time of the job's exchange with its node, µs. */
  measuredMicros: z.number().int().min(0).optional(),
})
export type EpochReceipt = z.infer<typeof epochReceiptSchema>

/** A node as the coordinator measured it over the epoch (not as the node declared it). */
export const measuredNodeSchema = z.strictObject({
  address: z.string().regex(/^0x[0-9a-f]{40}$/),
  region: z.string().min(1),
  /** Answered pings over pings sent, ppm. */
  uptimePpm: z.number().int().min(0).max(1_000_000),
  /** Mean round trip of the answered pings, ms. */
  latencyMs: z.number().int().min(0),
  /** Declared capacity. */
  gpuUnits: z.number().int().min(0),
  /** Declared power: the energy factor credits at least its backend class's floor (`energy.ts`). */
  powerWatts: z.number().int().min(1),
  /** The backend it advertised (`cpu`, `cuda`, `webgpu`): the class of its power floor. */
  backend: z.string().min(1).max(40).optional(),
  /** Reputation fell under the threshold: no pay this epoch. */
  excluded: z.boolean(),
})
export type MeasuredNode = z.infer<typeof measuredNodeSchema>

export const epochInputSchema = z.strictObject({
  epochId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,39}$/),
  /** The emission epoch's index (0-based) in the mining schedule. */
  epoch: z.number().int().min(0),
  epochSeconds: z.number().int().min(1),
  receipts: z.array(epochReceiptSchema),
  nodes: z.array(measuredNodeSchema),
})
export type EpochInput = z.infer<typeof epochInputSchema>
