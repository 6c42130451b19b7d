import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { deidentify, openVault } from '@btt/connectors'
import { toBttError } from '@btt/core'
import type { Io } from './sim.js'

export const deidUsage = `Usage:
  btt deid <file|folder> --out <dir> [--retain uids,dates,shifted-dates,device,institution,patient-characteristics]
           [--clean descriptors,structured-content,graphics] [--vault <path>]`

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
    },
  })
  const input = positionals[0]
  if (!input || !values.out) {
    io.err.write(`${deidUsage}\n`)
    return 2
  }
  const list = (v: string | undefined) =>
    v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : []
  const retain = list(values.retain)
  const clean = list(values.clean)
  const bad = [
    ...retain.filter((r) => !(RETAIN as readonly string[]).includes(r)),
    ...clean.filter((c) => !(CLEAN as readonly string[]).includes(c)),
  ]
  if (bad.length) {
    io.err.write(`unknown option(s): ${bad.join(', ')}\n${deidUsage}\n`)
    return 2
  }
  mkdirSync(values.out, { recursive: true })
  const vault = openVault(values.vault ?? join(values.out, 'pseudonym-vault.sqlite'))
  const files = statSync(input).isDirectory()
    ? readdirSync(input)
        .filter((n) => !n.startsWith('.'))
        .map((n) => join(input, n))
        .filter((p) => statSync(p).isFile())
    : [input]
  let failed = 0
  for (const file of files) {
    try {
      const { bytes, patient } = deidentify(new Uint8Array(readFileSync(file)), {
        vault,
        file,
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
      })
      const target = join(values.out, basename(file))
      writeFileSync(target, bytes)
      io.out.write(
        `✔ ${file} → ${target}${patient.pseudonym ? ` (patient ${patient.pseudonym})` : ''}\n`,
      )
    } catch (error) {
      failed++
      const e = toBttError(error)
      io.out.write(`✖ ${file}: ${e.name}: ${e.shortMessage}\n`)
    }
  }
  io.out.write(
    `${files.length - failed} de-identified, ${failed} failed; pseudonyms in ${values.vault ?? join(values.out, 'pseudonym-vault.sqlite')}\n`,
  )
  vault.close()
  return failed ? 1 : 0
}
