import { dirname, join } from 'node:path'
import { type ContractArtifacts, compileSolidity } from '@btt/testing'

export type { ContractArtifacts }

const here = dirname(new URL(import.meta.url).pathname)
export const contractsDir = join(here, '..', 'contracts')
export const artifactsFile = join(here, '..', 'artifacts', 'contracts.json')

/**
 * Compiles the Solidity sources in contracts/ with solc-js (npm `solc`, no downloaded compiler),
 * resolving `@openzeppelin/contracts/...` imports from node_modules (@btt/testing's compileSolidity).
 */
export function compileContracts(): ContractArtifacts {
  return compileSolidity({ contractsDir })
}
