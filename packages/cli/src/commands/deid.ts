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
import { deidFlags, deidUsage, workersFlag } from './deidUsage.js'

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
  if (!positionals.length || !values.out) {
    io.err.write(`${deidUsage}\n`)
    return 2
  }
  const options = deidOptions(values.retain, values.clean)
  if (typeof options === 'string') {
    io.err.write(`unknown option(s): ${options}\n${deidUsage}\n`)
    return 2
  }
  const asked = workersFlag(values.workers)
  if (typeof asked === 'string') {
    io.err.write(`${asked}\n${deidUsage}\n`)
    return 2
  }
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
  let failed = failures.length
  try {
    for (const f of failures)
      io.out.write(`✖ ${f.path}: ${f.error.code}: ${f.error.shortMessage}\n`)
    const onFile = (o: DeidentifyFileOutcome) => io.out.write(line(o))
    failed += (
      await deidentifyFiles(files, { ...options, out: values.out, vault, workers, onFile })
    ).failed
  } finally {
    vault.close()
  }
  io.out.write(
    `${files.length + failures.length - failed} de-identified, ${failed} failed; pseudonyms in ${vaultPath}\n`,
  )
  return failed ? 1 : 0
}

function line(o: DeidentifyFileOutcome): string {
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
