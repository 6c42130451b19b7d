import { resolve } from 'node:path'
import { type ChainConnection, connectChain } from '@btt/payfi/evm'
import {
  deploymentSchema,
  openTokenization,
  parseTokenize,
  type Tokenization,
  type TokenizeDeployment,
  TokenizeError,
} from '@btt/tokenize'
import { readInputText } from '../readInputFile.js'

/** Reads a file holding one 0x-prefixed 32-byte hex private key. */
export function readKey(file: string): string {
  let text: string
  try {
    text = readInputText(file).trim()
  } catch (cause) {
    throw new TokenizeError('TOKENIZE_INVALID_ARGUMENT', `Cannot read the key file ${file}.`, {
      cause,
      details: { file },
    })
  }
  const key = text.startsWith('0x') ? text : `0x${text}`
  if (!/^0x[0-9a-fA-F]{64}$/.test(key))
    throw new TokenizeError('TOKENIZE_INVALID_ARGUMENT', `${file} does not hold one private key.`, {
      details: { file },
    })
  return key
}

/** Reads and checks a JSON file (the deployment record, an asset description). */
export function readJson(file: string, subject: string): unknown {
  try {
    return JSON.parse(readInputText(resolve(file)))
  } catch (cause) {
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      `Cannot read ${subject} ${file} as JSON.`,
      {
        cause,
        details: { file },
      },
    )
  }
}

export function readDeployment(file: string): TokenizeDeployment {
  return parseTokenize(deploymentSchema, readJson(file, 'the deployment'), `deployment ${file}`)
}

/** A base-unit amount from a flag: digits only, no sign, no fraction. */
export function amountFlag(value: string | undefined, flag: string, { zero = false } = {}): bigint {
  if (value === undefined || !/^[0-9]{1,60}$/.test(value) || (!zero && BigInt(value) === 0n))
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      `--${flag} must be a ${zero ? 'non-negative' : 'positive'} whole number of base units, got ${JSON.stringify(value ?? null)}.`,
      { details: { flag, got: value ?? null } },
    )
  return BigInt(value)
}

/** A whole number from a flag, in the library's bounds, checked before anything is sent. */
export function integerFlag(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
): number {
  const n = value !== undefined && /^[0-9]{1,16}$/.test(value) ? Number(value) : Number.NaN
  if (!(n >= min && n <= max))
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      `--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value ?? null)}.`,
      { details: { flag, got: value ?? null } },
    )
  return n
}

/** A date from a flag (ISO 8601), ms since the epoch. */
export function dateFlag(value: string | undefined, flag: string): number {
  const ms = value === undefined ? Number.NaN : Date.parse(value)
  if (!Number.isFinite(ms))
    throw new TokenizeError('TOKENIZE_INVALID_ARGUMENT', `--${flag} must be an ISO 8601 date.`, {
      details: { flag, got: value ?? null },
    })
  return ms
}

export function requireFlag(value: string | undefined, flag: string): string {
  if (!value)
    throw new TokenizeError('TOKENIZE_INVALID_ARGUMENT', `--${flag} is required.`, {
      details: { flag },
    })
  return value
}

/** Connects with a key file and opens the embedded ledger; `close()` releases both. */
export async function openContext(flags: {
  rpc?: string | undefined
  key?: string | undefined
  deployment?: string | undefined
  ledger?: string | undefined
}): Promise<Tokenization & { close(): Promise<void> }> {
  const deployment = readDeployment(flags.deployment ?? 'tokenize.json')
  const key = readKey(requireFlag(flags.key, 'key'))
  const chain = await connect(requireFlag(flags.rpc, 'rpc'), key)
  try {
    const t = openTokenization({
      chain,
      deployment,
      ledgerPath: flags.ledger ?? 'tokenize-ledger.sqlite',
    })
    return {
      ...t,
      async close() {
        await t.close()
        chain.provider.destroy()
      },
    }
  } catch (error) {
    chain.provider.destroy()
    throw error
  }
}

export async function connect(rpcUrl: string, privateKey: string): Promise<ChainConnection> {
  try {
    return await connectChain({ rpcUrl, privateKey })
  } catch (cause) {
    const e = cause as { code?: string; message?: string }
    throw new TokenizeError(
      e.code === 'PAYFI_INVALID_ARGUMENT'
        ? 'TOKENIZE_INVALID_ARGUMENT'
        : 'TOKENIZE_CHAIN_UNAVAILABLE',
      e.message ?? `Cannot reach ${rpcUrl}.`,
      { cause, details: { rpcUrl } },
    )
  }
}

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
}
