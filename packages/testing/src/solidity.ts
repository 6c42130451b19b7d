import assert from 'node:assert'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** What a package's contract build writes to artifacts/contracts.json, and what a recompile must reproduce. */
export type ContractArtifacts = {
  compiler: { name: 'solc-js'; version: string; settings: Record<string, unknown> }
  openzeppelin: string
  /** sha256 of each source the artifacts came from, ours and OpenZeppelin's. */
  sources: Record<string, string>
  contracts: Record<string, { abi: unknown[]; bytecode: string; deployedBytecode: string }>
}

export type CompileSolidityParameters = {
  /** Folder of the package's `*.sol` sources (not recursive). */
  contractsDir: string
  /**
   * Folder whose node_modules resolve `solc` and `@openzeppelin/contracts` (the package that
   * declares them); default: the parent of `contractsDir`.
   */
  packageDir?: string
}

// Settings are part of the artifact: the same sources with other settings are other bytecode.
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'none' },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
}

type SolcOutput = {
  errors?: { severity: string; formattedMessage: string }[]
  contracts: Record<
    string,
    Record<
      string,
      {
        abi: unknown[]
        evm: { bytecode: { object: string }; deployedBytecode: { object: string } }
      }
    >
  >
}

/**
 * Compiles the Solidity sources of a folder with solc-js (npm `solc`, no downloaded compiler),
 * resolving `@openzeppelin/contracts/...` imports from the package's node_modules. The result
 * names the compiler, its settings, OpenZeppelin's version and a sha256 of every source read, so
 * a test can recompile and compare with the committed artifacts.
 *
 * @param parameters - `{ contractsDir, packageDir? }`.
 * @returns ABI, creation and runtime bytecode of every contract, with provenance.
 * @example
 * ```ts
 * import { compileSolidity } from '@btt/testing'
 * const artifacts = compileSolidity({ contractsDir: 'packages/payfi/contracts' })
 * ```
 */
export function compileSolidity(parameters: CompileSolidityParameters): ContractArtifacts {
  const { contractsDir } = parameters
  const require = createRequire(
    join(parameters.packageDir ?? dirname(contractsDir), 'package.json'),
  )
  const solc = require('solc') as {
    compile(
      input: string,
      callbacks: { import(path: string): { contents: string } | { error: string } },
    ): string
    version(): string
  }
  const ozRoot = dirname(require.resolve('@openzeppelin/contracts/package.json'))
  const ozVersion = (
    JSON.parse(readFileSync(join(ozRoot, 'package.json'), 'utf8')) as { version: string }
  ).version
  const sources: Record<string, { content: string }> = {}
  for (const file of readdirSync(contractsDir)
    .filter((f) => f.endsWith('.sol'))
    .sort())
    sources[file] = { content: readFileSync(join(contractsDir, file), 'utf8') }
  const hashes: Record<string, string> = {}
  const input = { language: 'Solidity', sources, settings }
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import(path) {
        if (!path.startsWith('@openzeppelin/contracts/')) return { error: `unknown import ${path}` }
        const content = readFileSync(
          join(ozRoot, path.slice('@openzeppelin/contracts/'.length)),
          'utf8',
        )
        hashes[path] = sha256(content)
        return { contents: content }
      },
    }),
  ) as SolcOutput
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length) assert.fail(errors.map((e) => e.formattedMessage).join('\n'))
  for (const [file, { content }] of Object.entries(sources)) hashes[file] = sha256(content)
  const contracts: ContractArtifacts['contracts'] = {}
  for (const file of Object.keys(sources))
    for (const [name, c] of Object.entries(output.contracts[file] ?? {}))
      contracts[name] = {
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      }
  return {
    compiler: { name: 'solc-js', version: solc.version(), settings },
    openzeppelin: ozVersion,
    sources: Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => a.localeCompare(b))),
    contracts,
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
