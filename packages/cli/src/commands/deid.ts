import { mkdirSync } from 'node:fs'
import { dirname, resolve, sep } from 'node:path'
import { parseArgs } from 'node:util'
import type { Worker } from 'node:worker_threads'
import {
  ConnectorsError,
  collectInputs,
  type DeidentifyFileOutcome,
  type DeidentifyOptions,
  deidentifyFiles,
  openVault,
} from '@btt/connectors/deid'
import type { Io } from '../io.js'
import { UsageError } from '../usage.js'
import { deidFlags, deidUsage, workersFlag } from './deidUsage.js'

/** The worker side, for the bundle's worker script (deidWorkerLoader.ts). */
export { serveDeidJob } from '@btt/connectors/deid'
export { deidUsage }

const RETAIN = [
  'uids',
  'dates',
  'shifted-dates',
  'device',
  'institution',
  'patient-characteristics',
] as const
const CLEAN = ['descriptors', 'structured-content', 'graphics'] as const

/**
 * `btt deid …`: de-identifies files (PS3.15 Basic Profile + options) into `--out`, on worker
 * threads too when there are many (see `deidentifyFiles`).
 */
export async function deidCommand(
  argv: string[],
  io: Io,
  early: readonly Worker[] = [],
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: deidFlags,
  })
  if (!positionals.length || !values.out)
    throw new UsageError('"btt deid" needs at least one file or folder and --out <dir>')
  const options = deidOptions(values.retain, values.clean)
  if (typeof options === 'string') throw new UsageError(`unknown option(s): ${options}`)
  const asked = workersFlag(values.workers)
  if (typeof asked === 'string') throw new UsageError(asked)
  const workers = early.length ? early : asked // early: started for this --workers
  // the vault re-identifies everything: never inside the folder that leaves the clinic
  const vaultPath = values.vault ?? `${resolve(values.out)}.vault.sqlite`
  if (isInside(resolve(vaultPath), resolve(values.out)))
    throw new ConnectorsError(
      'CONNECTORS_INVALID_ARGUMENT',
      `--vault ${vaultPath} lies inside --out ${values.out}: the vault re-identifies the files, keep it out of the folder you share.`,
      { details: { vault: vaultPath, out: values.out } },
    )
  // every input checked, and the output against them, before anything is created
  const { files, failures } = collectInputs(positionals, {
    out: values.out,
    alsoWrites: [vaultPath],
  })
  if (!files.length && !failures.length)
    throw new ConnectorsError(
      'DEID_INPUT_NOT_FOUND',
      `No files to de-identify in ${positionals.join(', ')} (names starting with "." are skipped).`,
      { details: { inputs: positionals } },
    )
  for (const folder of [values.out, dirname(vaultPath)]) makeFolder(folder)
  const vault = openVault(vaultPath)
  const report = reporter(io, { out: values.out, vault: vaultPath })
  try {
    for (const f of failures)
      report.file({ file: f, error: { code: f.error.code, message: f.error.shortMessage } })
    report.flush()
    await deidentifyFiles(files, {
      ...options,
      out: values.out,
      vault,
      workers,
      onFile: report.file,
    })
  } finally {
    report.flush() // what was done before a failure is still told
    vault.close()
  }
  return report.end()
}

type Outcome = DeidentifyFileOutcome | { file: { path: string }; error: DeidError }
type DeidError = { code: string; message: string }

/** Lines are written a batch at a time (files are put in place 64 at a time, see deidentifyFiles). */
const LINES_PER_WRITE = 64

/**
 * Reports each file as it is done (a line each), and the counts at the end; with `--json`, only
 * one JSON document at the end: the folders, the counts, each file written and each failure.
 */
function reporter(io: Io, where: { out: string; vault: string }) {
  const written: { file: string; target: string; pseudonym?: string }[] = []
  const failures: ({ file: string } & DeidError)[] = []
  let lines = ''
  let count = 0
  const flush = () => {
    if (lines) io.out.write(lines)
    lines = ''
    count = 0
  }
  return {
    flush,
    file(o: Outcome) {
      if ('error' in o)
        failures.push({ file: o.file.path, code: o.error.code, message: o.error.message })
      else
        written.push({
          file: o.file.path,
          target: o.target,
          ...(o.pseudonym ? { pseudonym: o.pseudonym } : {}),
        })
      if (io.json) return
      lines += line(o)
      if (++count >= LINES_PER_WRITE) flush()
    },
    end(): number {
      flush()
      const counts = { deidentified: written.length, failed: failures.length }
      io.out.write(
        io.json
          ? `${JSON.stringify({ ...where, ...counts, written, failures })}\n`
          : `${counts.deidentified} de-identified, ${counts.failed} failed; pseudonyms in ${where.vault}\n`,
      )
      return failures.length ? 1 : 0
    },
  }
}

function line(o: Outcome): string {
  if ('error' in o) return `✖ ${o.file.path}: ${o.error.code}: ${o.error.message}\n`
  return `✔ ${o.file.path} → ${o.target}${o.pseudonym ? ` (patient ${o.pseudonym})` : ''}\n`
}

function makeFolder(folder: string) {
  try {
    mkdirSync(folder, { recursive: true })
  } catch (error) {
    throw new ConnectorsError('DEID_OUTPUT_FAILED', `${folder}: cannot create the folder.`, {
      cause: error,
      details: { path: folder },
    })
  }
}

/** The library's options from `--retain` and `--clean`, or the unknown names. */
function deidOptions(
  retainFlag: string | undefined,
  cleanFlag: string | undefined,
): DeidentifyOptions | string {
  const list = (v: string | undefined) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  const retain = list(retainFlag)
  const clean = list(cleanFlag)
  const bad = [
    ...retain.filter((r) => !(RETAIN as readonly string[]).includes(r)),
    ...clean.filter((c) => !(CLEAN as readonly string[]).includes(c)),
  ]
  if (bad.length) return bad.join(', ')
  return {
    retain: {
      uids: retain.includes('uids'),
      dates: retain.includes('dates')
        ? 'full'
        : retain.includes('shifted-dates')
          ? 'shifted'
          : 'none',
      device: retain.includes('device'),
      institution: retain.includes('institution'),
      patientCharacteristics: retain.includes('patient-characteristics'),
    },
    clean: {
      descriptors: clean.includes('descriptors'),
      structuredContent: clean.includes('structured-content'),
      graphics: clean.includes('graphics'),
    },
  }
}

function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep)
}
