import { keccak_256 } from '@noble/hashes/sha3'
import { getAddress, type TypedDataDomain } from 'ethers'
import { ComputeError } from '../errors.js'
import type { Receipt } from './receipt.js'
import {
  type PointTable,
  pointAddress,
  pointTable,
  recoverPoint,
  splitSignature,
  verifyDigest,
} from './secp256k1.js'

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

const utf8 = (s: string) => Buffer.from(s, 'utf8')
const word = (hex: string) => Buffer.from(hex.slice(2).padStart(64, '0'), 'hex')
const DOMAIN_SEPARATOR = keccak_256(
  Buffer.concat([
    keccak_256(utf8('EIP712Domain(string name,string version)')),
    keccak_256(utf8(String(RECEIPT_DOMAIN.name))),
    keccak_256(utf8(String(RECEIPT_DOMAIN.version))),
  ]),
)
const TYPE_HASH = keccak_256(
  utf8(`JobReceipt(${RECEIPT_TYPES.JobReceipt.map((f) => `${f.type} ${f.name}`).join(',')})`),
)
const UINT64_MAX = (1n << 64n) - 1n

function uint64(value: string): Buffer {
  const n = BigInt(value)
  if (n > UINT64_MAX)
    throw new ComputeError('COMPUTE_INVALID_ARGUMENT', `${value} does not fit a uint64.`, {
      details: { value },
    })
  return word(`0x${n.toString(16)}`)
}

/**
 * The EIP-712 digest of a receipt, `keccak256(0x1901 ‖ domainSeparator ‖ hashStruct)`, encoded
 * here with the domain separator and type hash computed once (ethers' `TypedDataEncoder.hash`
 * gives the same bytes; a test checks it on random receipts).
 *
 * @throws {ComputeError} `COMPUTE_INVALID_ARGUMENT` when a uint64 field is out of range.
 */
export function receiptDigest(receipt: Receipt): Uint8Array {
  const struct = keccak_256(
    Buffer.concat([
      TYPE_HASH,
      keccak_256(utf8(receipt.jobId)),
      word(receipt.modelHash),
      word(receipt.inputHash),
      word(receipt.outputHash),
      uint64(receipt.startedAt),
      uint64(receipt.finishedAt),
      uint64(receipt.inferenceMicros),
      word(receipt.node.toLowerCase()),
      word(receipt.nonce),
    ]),
  )
  return keccak_256(Buffer.concat([Buffer.from([0x19, 0x01]), DOMAIN_SEPARATOR, struct]))
}

type KnownKey = { table?: PointTable; point: PointTable['point']; address: string; seen: number }
/** Public keys recovered from receipts, by lowercase address (most recently used last). */
const keys = new Map<string, KnownKey>()
const MAX_KEYS = 128

/**
 * Who signed a receipt: its node's checksummed address when the signature is by it, `''` when
 * it is by another key, `undefined` when no signer can be recovered at all. A key seen twice gets
 * a precomputed table (w = 8: 4,224 points, ~0.4 MB, built once in ~20–30 ms), so verifying its
 * later receipts costs about a fifth of a recovery.
 */
export function signerOf(receipt: Receipt, signature: string): string | undefined {
  const sig = splitSignature(signature)
  if (!sig) return undefined
  let digest: Uint8Array
  try {
    digest = receiptDigest(receipt)
  } catch {
    return undefined
  }
  const node = receipt.node.toLowerCase()
  const known = keys.get(node)
  if (known) {
    keys.delete(node)
    keys.set(node, known)
    known.seen++
    if (!known.table && known.seen >= 2) known.table = pointTable(known.point, 8)
    if (known.table) return verifyDigest(known.table, digest, sig) ? known.address : ''
    const point = recoverPoint(digest, sig)
    return point ? (point.equals(known.point) ? known.address : '') : undefined
  }
  const point = recoverPoint(digest, sig)
  if (!point) return undefined
  if (pointAddress(point) !== node) return ''
  keys.set(node, { point, address: getAddress(node), seen: 1 })
  if (keys.size > MAX_KEYS) keys.delete(keys.keys().next().value!)
  return getAddress(node)
}
