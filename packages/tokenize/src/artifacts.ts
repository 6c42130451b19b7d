import artifacts from '../artifacts/contracts.json' with { type: 'json' }
import { TokenizeError } from './errors.js'

/** The contracts @btt/tokenize deploys, compiled by scripts/build-contracts.ts (solc-js, OpenZeppelin 5). */
export type TokenizeContractName =
  | 'AssetRegistry'
  | 'AssetToken'
  | 'IdentityRegistry'
  | 'IncomeDistributor'
  | 'SecondaryMarket'
  | 'SettlementToken'

/**
 * ABI and creation bytecode of one of the package's contracts.
 *
 * @param name - the contract.
 * @returns `{ abi, bytecode }` from the committed artifacts.
 * @example
 * ```ts
 * import { tokenizeArtifact } from '@btt/tokenize'
 * tokenizeArtifact('AssetToken').abi.length > 0 // true
 * ```
 */
export function tokenizeArtifact(name: TokenizeContractName): {
  abi: readonly unknown[]
  bytecode: string
} {
  // every name is in the artifacts: test/artifacts.test.ts recompiles and compares
  const c = (
    artifacts.contracts as Record<string, { abi: unknown[]; bytecode: string } | undefined>
  )[typeof name === 'string' && /^[A-Z]\w+$/.test(name) ? name : '']
  if (!c || c.bytecode === '0x')
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      `No deployable contract ${String(name)}.`,
      {
        details: { name: String(name) },
      },
    )
  return { abi: c.abi, bytecode: c.bytecode }
}

/** Compiler, OpenZeppelin version and source hashes the artifacts were built from. */
export const tokenizeArtifactsProvenance = {
  compiler: artifacts.compiler,
  openzeppelin: artifacts.openzeppelin,
  sources: artifacts.sources,
} as const
