import { mkdirSync } from 'node:fs'
import { dirname, join, resolve, sep } from 'node:path'
import { parseArgs } from 'node:util'
import {
  ConnectorsError,
  collectInputs,
  createDeidentifier,
  type DeidentifyOptions,
  type InputFile,
  openVault,
  type PseudonymVault,
  readInput,
  type StagedFile,
  stageFile,
} from '@btt/connectors/deid'
import { toBttError } from '@btt/core/errors'
import type { Io } from '../io.js'

export const deidUsage = `Usage:
  btt deid <file|folder>... --out <dir> [--retain uids,dates,shifted-dates,device,institution,patient-characteristics]
           [--clean descriptors,structured-content,graphics] [--vault <path>]

Every input is de-identified (folders recursively; the same file reached twice is done once) into
--out, which must not be, contain or lie inside an input. Outputs are written atomically.
--vault: where the key and every pseudonym are kept (what re-identifies the files). Default:
<out>.vault.sqlite beside --out, never inside it, so the folder you share carries no key.`

const RETAIN = [
  'uids',
  'dates',
  'shifted-dates',
  'device',
  'institution',
  'patient-characteristics',
] as const
const CLEAN = ['descriptors', 'structured-content', 'graphics'] as const

/** `btt deid …`: de-identifies files (PS3.15 Basic Profile + options) into `--out`. */
export function deidCommand(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      retain: { type: 'string' },
      clean: { type: 'string' },
      vault: { type: 'string' },
      json: { type: 'boolean' },
    },
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
    failed += runBatch(files, values.out, { ...options, vault }, io)
  } finally {
    vault.close()
  }
  io.out.write(
    `${files.length + failures.length - failed} de-identified, ${failed} failed; pseudonyms in ${vaultPath}\n`,
  )
  return failed ? 1 : 0
}

const BATCH = 64

/**
 * De-identifies the files into `out`; returns how many failed. Outputs are staged under temporary
 * names and put in place a batch at a time, once the batch's pseudonyms are committed to the
 * vault: an output never exists without its mapping, and the vault is written once per batch.
 */
function runBatch(
  files: InputFile[],
  out: string,
  options: DeidentifyOptions & { vault: PseudonymVault },
  io: Io,
): number {
  const { flush: _flush, ...perFile } = options.vault // the batch flushes, not each file
  const deidentify = createDeidentifier({ ...options, vault: perFile })
  const scratch = {} // one read buffer: each output is staged before the next read
  const staged: { file: InputFile; staged: StagedFile; pseudonym: string | undefined }[] = []
  let failed = 0
  const fail = (file: InputFile, error: unknown) => {
    failed++
    const e = toBttError(error)
    const code = 'code' in e && typeof e.code === 'string' ? e.code : e.name
    io.out.write(`✖ ${file.path}: ${code}: ${e.shortMessage}\n`)
  }
  const commit = () => {
    try {
      options.vault.flush?.()
    } catch (error) {
      for (const s of staged.splice(0)) s.staged.discard()
      throw error
    }
    for (const { file, staged: s, pseudonym } of staged.splice(0))
      try {
        s.commit()
        io.out.write(`✔ ${file.path} → ${s.target}${pseudonym ? ` (patient ${pseudonym})` : ''}\n`)
      } catch (error) {
        fail(file, error)
      }
  }
  for (const file of files) {
    try {
      const { parts, patient } = deidentify(readInput(file.path, scratch), file.path)
      staged.push({
        file,
        staged: stageFile(join(out, file.relative), parts),
        pseudonym: patient.pseudonym,
      })
    } catch (error) {
      fail(file, error)
    }
    if (staged.length >= BATCH) commit()
  }
  commit()
  return failed
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
