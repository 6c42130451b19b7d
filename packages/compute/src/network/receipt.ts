import { type TypedDataDomain, verifyTypedData, type Wallet } from 'ethers'
import { z } from 'zod'
import { ComputeError } from '../errors.js'

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

/** The EIP-712 domain of job receipts (no chain: a receipt is an off-chain proof of work). */
export const RECEIPT_DOMAIN: TypedDataDomain = { name: 'BTT Compute', version: '1' }
/** The EIP-712 types of a job receipt. */
export const RECEIPT_TYPES = {
  JobReceipt: [
    { name: 'jobId', type: 'string' },
    { name: 'modelHash', type: 'bytes32' },
    { name: 'inputHash', type: 'bytes32' },
    { name: 'outputHash', type: 'bytes32' },
    { name: 'startedAt', type: 'uint64' },
    { name: 'finishedAt', type: 'uint64' },
    { name: 'inferenceMicros', type: 'uint64' },
    { name: 'node', type: 'address' },
    { name: 'nonce', type: 'bytes32' },
  ],
}

/** Signs a receipt with the node's key (EIP-712). */
export async function signReceipt(
  wallet: Pick<Wallet, 'signTypedData'>,
  receipt: Receipt,
): Promise<SignedReceipt> {
  const signature = await wallet.signTypedData(RECEIPT_DOMAIN, RECEIPT_TYPES, receipt)
  return { receipt, signature }
}

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
 * Checks a signed receipt: its shape, that its EIP-712 signature recovers the address it names,
 * and that each expected field matches. Returns the signer's address.
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
  let signer = ''
  try {
    signer = verifyTypedData(RECEIPT_DOMAIN, RECEIPT_TYPES, receipt, signature)
  } catch {
    problems.push('the signature cannot be recovered')
  }
  if (signer && signer.toLowerCase() !== receipt.node.toLowerCase())
    problems.push('the signature is not by the node the receipt names')
  for (const [key, value] of Object.entries(expected) as [keyof ReceiptExpectation, string][])
    if (value !== undefined && receipt[key].toLowerCase() !== value.toLowerCase())
      problems.push(`${key} is ${receipt[key]}, expected ${value}`)
  if (problems.length) throw invalid(problems, { jobId: receipt.jobId })
  return signer
}

function invalid(problems: string[], details: Record<string, unknown>): ComputeError {
  return new ComputeError('COMPUTE_RECEIPT_INVALID', `Receipt rejected: ${problems.join('; ')}.`, {
    details: { problems, ...details },
  })
}
