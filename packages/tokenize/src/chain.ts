import { type ChainConnection, chainError } from '@btt/payfi/evm'
import {
  Contract,
  type ContractTransactionResponse,
  Interface,
  type TransactionReceipt,
} from 'ethers'
import { type TokenizeContractName, tokenizeArtifact } from './artifacts.js'
import { TokenizeError, type TokenizeErrorCode } from './errors.js'
import { messageForTransferRestriction } from './restrictions.js'

const names: TokenizeContractName[] = [
  'AssetRegistry',
  'AssetToken',
  'IdentityRegistry',
  'IncomeDistributor',
  'SecondaryMarket',
  'SettlementToken',
]

// Every custom error of every contract, so a revert that bubbles up from a nested call (the
// token's TransferRestricted inside the market's settle) is decoded whatever was called.
const errors = new Interface([
  ...new Map(
    names
      .flatMap((n) => tokenizeArtifact(n).abi as { type: string; name: string }[])
      .filter((f) => f.type === 'error')
      .map((f) => [JSON.stringify(f), f]),
  ).values(),
] as never)

/** One of the package's contracts at `address`, sending through the connection's serial signer. */
export function contract(
  chain: ChainConnection,
  name: TokenizeContractName,
  address: string,
): Contract {
  return new Contract(address, tokenizeArtifact(name).abi as never, chain.signer)
}

/** Sends a transaction, waits for one confirmation; every failure as a coded TokenizeError. */
export async function send(
  chain: ChainConnection,
  doing: string,
  fn: () => Promise<ContractTransactionResponse>,
): Promise<TransactionReceipt> {
  try {
    const tx = await fn()
    const receipt = await tx.wait(1, chain.waitSeconds * 1000)
    if (!receipt)
      throw new TokenizeError('TOKENIZE_CHAIN_TIMEOUT', `No receipt while ${doing}.`, {
        details: { doing, hash: tx.hash },
      })
    return receipt
  } catch (error) {
    throw tokenizeChainError(error, doing)
  }
}

/** Runs a read; failures as coded TokenizeErrors. */
export async function read<T>(doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw tokenizeChainError(error, doing)
  }
}

const byRevert: Record<string, TokenizeErrorCode> = {
  TransferRestricted: 'TOKENIZE_TRANSFER_RESTRICTED',
  QuoteExpired: 'TOKENIZE_QUOTE_EXPIRED',
  AlreadySettled: 'TOKENIZE_ALREADY_SETTLED',
  AlreadyDistributed: 'TOKENIZE_ALREADY_SETTLED',
  RevaluationConflict: 'TOKENIZE_ALREADY_SETTLED',
  AccessControlUnauthorizedAccount: 'TOKENIZE_NOT_AGENT',
  InvalidValuation: 'TOKENIZE_INVALID_VALUATION',
  AssetExists: 'TOKENIZE_ASSET_EXISTS',
  TokenAlreadySet: 'TOKENIZE_ASSET_EXISTS',
  AssetNotFound: 'TOKENIZE_ASSET_NOT_FOUND',
  ERC20InsufficientBalance: 'TOKENIZE_INSUFFICIENT_FUNDS',
  ERC20InsufficientAllowance: 'TOKENIZE_INSUFFICIENT_FUNDS',
}

function revertData(error: unknown): string | undefined {
  for (let e = error as Record<string, unknown> | undefined, i = 0; e && i < 8; i++) {
    const data = e.data ?? (e.info as { error?: { data?: unknown } } | undefined)?.error?.data
    if (typeof data === 'string' && /^0x[0-9a-fA-F]{8}/.test(data)) return data
    e = e.cause as Record<string, unknown> | undefined
  }
  return undefined
}

/**
 * Maps anything a chain call threw to a TokenizeError: the contracts' custom errors to their
 * codes (a restriction with its ERC-1404 code and message), the rest as PayFi's chain mapping does.
 */
export function tokenizeChainError(error: unknown, doing: string): TokenizeError {
  if (error instanceof TokenizeError) return error
  const data = revertData(error)
  const parsed = data ? errors.parseError(data) : null
  if (parsed) {
    const args = parsed.args.map((a) => (typeof a === 'bigint' ? a.toString() : a))
    const code = byRevert[parsed.name] ?? 'TOKENIZE_CHAIN_REVERTED'
    if (code === 'TOKENIZE_TRANSFER_RESTRICTED') {
      const restriction = Number(parsed.args[0])
      const message = messageForTransferRestriction(restriction)
      return new TokenizeError(code, `Refused on chain while ${doing}: ${message}`, {
        cause: error,
        details: { doing, code: restriction, message, onChain: true },
      })
    }
    return new TokenizeError(code, `Reverted while ${doing}: ${parsed.name}(${args.join(', ')}).`, {
      cause: error,
      details: { doing, revert: parsed.name, args },
    })
  }
  const p = chainError(error, doing)
  const code: TokenizeErrorCode =
    p.code === 'PAYFI_CHAIN_REVERTED'
      ? 'TOKENIZE_CHAIN_REVERTED'
      : p.code === 'PAYFI_CHAIN_TIMEOUT'
        ? 'TOKENIZE_CHAIN_TIMEOUT'
        : 'TOKENIZE_CHAIN_UNAVAILABLE'
  return new TokenizeError(code, p.message, { cause: p, details: { ...p.details, doing } })
}
