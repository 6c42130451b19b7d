import { z } from 'zod'
import { ComputeError } from '../errors.js'
import { parseArgs } from '../validate.js'
import { receiptDigest, signerOf } from './receiptDigest.js'
import { signDigest } from './secp256k1.js'

const bytes32 = z.string().regex(/^0x[0-9a-f]{64}$/, 'a lowercase 0x-prefixed 32-byte hex')
const uint = z.string().regex(/^(0|[1-9][0-9]{0,19})$/, 'an unsigned integer as a decimal string')

/** What a node signs for every job it runs (EIP-712 `JobReceipt`). */
export const receiptSchema = z.strictObject({
  jobId: z.string().min(1).max(128),
  modelHash: bytes32,
  inputHash: bytes32,
  outputHash: bytes32,
  /** Unix milliseconds, the node's clock. */
  startedAt: uint,
  finishedAt: uint,
  /** Inference time in microseconds. */
  inferenceMicros: uint,
  node: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  /** The coordinator's nonce for this attempt: the lease's fencing token. */
  nonce: bytes32,
})
export type Receipt = z.infer<typeof receiptSchema>

/** A receipt with its EIP-712 signature. */
export const signedReceiptSchema = z.strictObject({
  receipt: receiptSchema,
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
})
export type SignedReceipt = z.infer<typeof signedReceiptSchema>

export { RECEIPT_DOMAIN, RECEIPT_TYPES } from './receiptDigest.js'

/**
 * Signs a receipt with the node's key (EIP-712): the same signature as ethers'
 * `signTypedData(RECEIPT_DOMAIN, RECEIPT_TYPES, receipt)`, without its per-call type encoding.
 *
 * @throws {ComputeError} `COMPUTE_INVALID_ARGUMENT` for a malformed key or receipt.
 */
export async function signReceipt(
  signer: { readonly privateKey: string },
  receipt: Receipt,
): Promise<SignedReceipt> {
  parseArgs(signArgsSchema, [signer, receipt], 'signReceipt arguments')
  return { receipt, signature: signDigest(signer.privateKey, receiptDigest(receipt)) }
}

const signArgsSchema = z.tuple([
  z.looseObject({ privateKey: z.string().regex(/^0x[0-9a-fA-F]{64}$/) }),
  receiptSchema,
])

/** What a receipt must say, as the verifier knows it independently. */
export type ReceiptExpectation = {
  jobId?: string
  modelHash?: string
  inputHash?: string
  outputHash?: string
  node?: string
  nonce?: string
}

/**
 * Checks a signed receipt: its shape, that its EIP-712 signature is by the address it names, and
 * that each expected field matches. Returns the signer's (checksummed) address.
 *
 * A node's public key is recovered from its first receipt here and kept (up to 128 keys); later
 * receipts naming that node are verified against the kept key (a precomputed table), which
 * accepts exactly the signatures that would recover to it.
 *
 * @throws {ComputeError} `COMPUTE_RECEIPT_INVALID` naming each problem in `details.problems`.
 */
export function verifyReceipt(signed: unknown, expected: ReceiptExpectation = {}): string {
  const parsed = signedReceiptSchema.safeParse(signed)
  if (!parsed.success)
    throw invalid(['the receipt is malformed'], {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    })
  const { receipt, signature } = parsed.data
  const problems: string[] = []
  const signer = signerOf(receipt, signature)
  if (signer === undefined) problems.push('the signature cannot be recovered')
  else if (!signer) problems.push('the signature is not by the node the receipt names')
  for (const [key, value] of Object.entries(expected) as [keyof ReceiptExpectation, string][])
    if (value !== undefined && receipt[key].toLowerCase() !== value.toLowerCase())
      problems.push(`${key} is ${receipt[key]}, expected ${value}`)
  if (problems.length || !signer) throw invalid(problems, { jobId: receipt.jobId })
  return signer
}

function invalid(problems: string[], details: Record<string, unknown>): ComputeError {
  return new ComputeError('COMPUTE_RECEIPT_INVALID', `Receipt rejected: ${problems.join('; ')}.`, {
    details: { problems, ...details },
  })
}
