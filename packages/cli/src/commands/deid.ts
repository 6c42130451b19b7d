import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  ConnectorsError,
  collectInputs,
  type DeidentifyOptions,
  deidentify,
  openVault,
  readInput,
  writeFileAtomic,
} from '@btt/connectors/deid'
import { toBttError } from '@btt/core'
import type { Io } from '../io.js'

export const deidUsage = `Usage:
  btt deid <file|folder>... --out <dir> [--retain uids,dates,shifted-dates,device,institution,patient-characteristics]
           [--clean descriptors,structured-content,graphics] [--vault <path>]

Every input is de-identified (folders recursively; the same file reached twice is done once) into
--out, which must not be, contain or lie inside an input. Outputs are written atomically.`

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
  const vaultPath = values.vault ?? join(values.out, 'pseudonym-vault.sqlite')
  // every input checked, and the output against them, before anything is created
  const { files, failures } = collectInputs(positionals, {
    out: values.out,
    alsoWrites: [vaultPath],
  })
  for (const folder of [values.out, dirname(vaultPath)])
    try {
      mkdirSync(folder, { recursive: true })
    } catch (error) {
      throw new ConnectorsError('DEID_OUTPUT_FAILED', `${folder}: cannot create the folder.`, {
        cause: error,
        details: { path: folder },
      })
    }
  const vault = openVault(vaultPath)
  let failed = failures.length
  try {
    for (const f of failures)
      io.out.write(`✖ ${f.path}: ${f.error.code}: ${f.error.shortMessage}\n`)
    for (const file of files) {
      try {
        const { parts, patient } = deidentify(readInput(file.path), {
          ...options,
          vault,
          file: file.path,
        })
        const target = join(values.out, file.relative)
        writeFileAtomic(target, parts)
        io.out.write(
          `✔ ${file.path} → ${target}${patient.pseudonym ? ` (patient ${patient.pseudonym})` : ''}\n`,
        )
      } catch (error) {
        failed++
        const e = toBttError(error)
        const code = 'code' in e && typeof e.code === 'string' ? e.code : e.name
        io.out.write(`✖ ${file.path}: ${code}: ${e.shortMessage}\n`)
      }
    }
  } finally {
    vault.close()
  }
  io.out.write(
    `${files.length + failures.length - failed} de-identified, ${failed} failed; pseudonyms in ${vaultPath}\n`,
  )
  return failed ? 1 : 0
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
