import artifacts from '../../artifacts/contracts.json' with { type: 'json' }

/** The contracts PayFi deploys, compiled by scripts/build-contracts.ts (solc-js, OpenZeppelin 5). */
export type ContractName =
  | 'BttToken'
  | 'BttVestingWallet'
  | 'MilestoneVault'
  | 'BatchPayout'
  | 'TestStablecoin'

/** ABI and creation bytecode of one of PayFi's contracts. */
export function contractArtifact(name: ContractName): {
  abi: readonly unknown[]
  bytecode: string
} {
  // every ContractName is in the artifacts: test/evm/artifacts.test.ts recompiles and compares
  const c = (artifacts.contracts as Record<ContractName, { abi: unknown[]; bytecode: string }>)[
    name
  ]
  return { abi: c.abi, bytecode: c.bytecode }
}

/** Compiler, OpenZeppelin version and source hashes the artifacts were built from. */
export const artifactsProvenance = {
  compiler: artifacts.compiler,
  openzeppelin: artifacts.openzeppelin,
  sources: artifacts.sources,
} as const
