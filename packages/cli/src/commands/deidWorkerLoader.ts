// The worker script of the built `btt deid` (dist/deid-worker.cjs, tsup.config.ts): loads the
// command's bundle (dist/deid-command.cjs) through the same V8 code cache as the main thread,
// under the same V8 setting (`workerData.cacheVariant`), instead of compiling an ES module of
// the same code afresh, then serves the de-identification job (@btt/connectors' serveDeidJob).
// It never writes the cache: the main thread does, once the command has run.
import { fileURLToPath } from 'node:url'
import { workerData } from 'node:worker_threads'
import { requireCached } from './codeCache.js'

const bundle = new URL('./deid-command.cjs', import.meta.url)
const variant = (workerData as { cacheVariant?: string } | undefined)?.cacheVariant
const { exports } = requireCached(fileURLToPath(bundle), variant)
;(exports as typeof import('./deid.js')).serveDeidJob()
