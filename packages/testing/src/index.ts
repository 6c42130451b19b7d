export { type AnvilChain, anvilBinary, startAnvil, useAnvil } from './anvil.js'
export { dciodvfy, hasDciodvfy } from './dciodvfy.js'
export {
  type FhirFault,
  type FhirTestServer,
  indexFhirDefinitions,
  type StartFhirServerOptions,
  startFhirServer,
  validateFhir,
} from './fhirServer.js'
export { freePort, type OrthancServer, orthancBinary, startOrthanc, useOrthanc } from './orthanc.js'
export { type RedisServer, redisBinary, startRedis } from './redis.js'
export {
  type SmartAuthServer,
  type StartSmartAuthServerOptions,
  startSmartAuthServer,
} from './smartAuthServer.js'
export {
  type CompileSolidityParameters,
  type ContractArtifacts,
  compileSolidity,
} from './solidity.js'
export { tool } from './tool.js'
export { spawnWatched, waitUntil } from './watchdog.js'
