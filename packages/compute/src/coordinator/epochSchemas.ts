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
  /** Declared capacity and power (the energy factor is declared capacity per declared watt). */
  gpuUnits: z.number().int().min(0),
  powerWatts: z.number().int().min(1),
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
