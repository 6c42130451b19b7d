import { dirname, join } from 'node:path'
import { type ContractArtifacts, compileSolidity } from '@btt/testing'

export type { ContractArtifacts }

const here = dirname(new URL(import.meta.url).pathname)
export const contractsDir = join(here, '..', 'contracts')
export const artifactsFile = join(here, '..', 'artifacts', 'contracts.json')

/** Compiles contracts/*.sol with solc-js and OpenZeppelin 5 from node_modules (@btt/testing). */
export function compileContracts(): ContractArtifacts {
  return compileSolidity({ contractsDir })
}
