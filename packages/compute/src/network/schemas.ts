import { z } from 'zod'
import { signedReceiptSchema } from './receipt.js'

export const hash32 = z.string().regex(/^0x[0-9a-f]{64}$/, 'a lowercase 0x-prefixed sha-256')
export const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an Ethereum address')

/** What a node offers, as it advertises it when it registers. */
export const capabilitiesSchema = z.strictObject({
  /** Model content hashes (0x + the manifest's sha256). */
  models: z.array(hash32).min(1).max(256),
  backend: z.enum(['cpu', 'cuda', 'webgpu']),
  accelerator: z.string().min(1).max(200),
  /** Lowest price per job the node accepts, in the pricing currency's minor units. */
  priceFloor: z.number().int().min(0),
  region: z.string().regex(/^[a-z0-9-]{2,32}$/),
  /** Declared power draw in watts (checked against measured throughput for the energy factor). */
  powerWatts: z.number().int().min(1).max(100_000),
  /** Declared compute capacity, in units (e.g. TFLOPS). */
  gpuUnits: z.number().int().min(1).max(1_000_000),
})
export type Capabilities = z.infer<typeof capabilitiesSchema>

/** A node's registration: its URL and capabilities, signed with its key over the challenge. */
export const registrationSchema = z.strictObject({
  address,
  url: z.url().max(500),
  capabilities: capabilitiesSchema,
  challenge: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
})
export type Registration = z.infer<typeof registrationSchema>

/** The message a node signs (EIP-191) to register. */
export const registrationMessage = (r: Omit<Registration, 'signature'>) =>
  `BTT compute node registration\nchallenge: ${r.challenge}\naddress: ${r.address.toLowerCase()}\nurl: ${r.url}\ncapabilities: ${JSON.stringify(r.capabilities)}`

/** The header of a job frame sent to a node: nothing but ids, the model hash and the nonce. */
export const jobHeaderSchema = z.strictObject({
  jobId: z.string().min(1).max(128),
  modelHash: hash32,
  nonce: hash32,
})
export type JobHeader = z.infer<typeof jobHeaderSchema>

/** The header of a node's answer: the signed receipt. */
export const resultHeaderSchema = z.strictObject({ signed: signedReceiptSchema })

/** The header of a clinic's job frame sent to the coordinator. */
export const submitHeaderSchema = z.strictObject({
  /** The client's id for the job: submitting it again returns the same result. */
  requestId: z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/),
  modelHash: hash32,
  region: z
    .string()
    .regex(/^[a-z0-9-]{2,32}$/)
    .optional(),
  urgency: z.string().min(1).max(40).optional(),
})
export type SubmitHeader = z.infer<typeof submitHeaderSchema>

/** The coordinator's answer header: the quote billed and the accepted receipt. */
export const submitResultHeaderSchema = z.strictObject({
  jobId: z.string(),
  billed: z.string().regex(/^[0-9]+$/),
  currency: z.string(),
  signed: signedReceiptSchema,
  verifiedBy: z.array(address),
})
export type SubmitResultHeader = z.infer<typeof submitResultHeaderSchema>
