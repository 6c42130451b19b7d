// What `btt deid` needs before the de-identification code is loaded: its usage (`--help`), its
// flags, and the worker threads started while that code loads.
import { existsSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'

export const deidUsage = `Usage:
  btt deid <file|folder>... --out <dir> [--retain uids,dates,shifted-dates,device,institution,patient-characteristics]
           [--clean descriptors,structured-content,graphics] [--vault <path>] [--workers <n>]

Every input is de-identified (folders recursively; the same file reached twice is done once) into
--out, which must not be, contain or lie inside an input. Outputs are written atomically.
--vault: where the key and every pseudonym are kept (what re-identifies the files). Default:
<out>.vault.sqlite beside --out, never inside it, so the folder you share carries no key.
--workers: worker threads besides the main one (0 to 64). Default, for a folder or 64 files or
more: one per further core, at most 7; 0 for fewer.
--json: one JSON document { out, vault, deidentified, failed, written, failures } at the end
instead of a line per file.`

export const deidFlags = {
  out: { type: 'string' },
  retain: { type: 'string' },
  clean: { type: 'string' },
  vault: { type: 'string' },
  workers: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options']

/** The number of `--workers`, or undefined for the default; a bad value is a string saying why. */
export function workersFlag(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  return /^\d+$/.test(value) && n <= 64
    ? n
    : `--workers must be an integer from 0 to 64, not "${value}"`
}

/**
 * How many de-identification worker threads to start before the de-identification code is loaded
 * ({@link startWorkersEarly}): only from the built CLI (from sources, `deidentifyFiles` starts its
 * own), and only for a batch that workers speed up (a folder among the inputs, or 64 files or
 * more) or when `--workers` asks for them; 0 when the flags are wrong (the command reports it).
 */
export function earlyWorkerCount(argv: string[]): number {
  if (!import.meta.url.endsWith('.js')) return 0
  let flags: ReturnType<typeof parseArgs<{ options: typeof deidFlags; allowPositionals: true }>>
  try {
    flags = parseArgs({ args: argv, options: deidFlags, allowPositionals: true })
  } catch {
    return 0
  }
  const asked = workersFlag(flags.values.workers)
  if (typeof asked === 'string') return 0
  const inputs = flags.positionals
  const batch = typeof asked === 'number' || inputs.length >= 64 || inputs.some(isFolder)
  return batch ? (asked ?? defaultWorkers()) : 0
}

/**
 * Starts `count` de-identification worker threads before the de-identification code is loaded,
 * so that they load it while the main thread does (start-up is most of a short batch): the built
 * CLI's own worker script, which loads the command's bundle through the code cache kept for
 * `cacheVariant` (the V8 setting, see codeCache.ts), else @btt/connectors' worker. Unref'd, so
 * that a command that fails before using them still exits.
 */
export function startWorkersEarly(count: number, cacheVariant?: string): Worker[] {
  const url = count > 0 ? workerScript() : undefined
  if (!url) return []
  return Array.from({ length: count }, () => {
    const worker = new Worker(url, { workerData: { cacheVariant } })
    worker.on('error', () => undefined) // one that cannot start: the main thread does its files
    worker.unref()
    return worker
  })
}

/**
 * The path of the built `btt deid` as one self-contained CommonJS file (tsup.config.ts), beside
 * the built CLI; undefined from sources (tests, tsx) or where it was not built.
 */
export function deidBundle(): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined
  const path = fileURLToPath(new URL('./deid-command.cjs', import.meta.url))
  return existsSync(path) ? path : undefined
}

/** The worker: the built CLI's (deidWorkerLoader.ts, tsup.config.ts), else @btt/connectors' own. */
function workerScript(): URL | undefined {
  const bundled = new URL('./deid-worker.cjs', import.meta.url)
  if (existsSync(bundled)) return bundled
  try {
    return new URL(import.meta.resolve('@btt/connectors/deid/worker'))
  } catch {
    return undefined
  }
}

/** As @btt/connectors' `defaultWorkers` (not loaded yet here): one per further core, at most 7. */
function defaultWorkers(): number {
  return Math.max(0, Math.min(availableParallelism() - 1, 7))
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
