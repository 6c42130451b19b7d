// Compiles contracts/*.sol with solc-js and writes artifacts/contracts.json (committed).
// Run after changing a contract: pnpm --filter @btt/tokenize build:contracts
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { artifactsFile, compileContracts } from './compileContracts.js'

const artifacts = compileContracts()
mkdirSync(dirname(artifactsFile), { recursive: true })
const tmp = `${artifactsFile}.tmp`
writeFileSync(tmp, `${JSON.stringify(artifacts, null, 2)}\n`)
renameSync(tmp, artifactsFile)
console.log(
  `${Object.keys(artifacts.contracts).join(', ')} → ${artifactsFile} (solc ${artifacts.compiler.version}, OpenZeppelin ${artifacts.openzeppelin})`,
)
