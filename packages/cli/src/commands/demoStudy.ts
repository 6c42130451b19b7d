import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import type { Io } from '../io.js'
import { UsageError } from '../usage.js'
import { checkOut, makeOut, write } from './computeOutput.js'

export const demoStudyUsage = `Usage:
  btt demo-study --out <dir>   write two synthetic chest studies (one with a round opacity) into
                               <dir> to try btt analyze, deid and pacs on
  (the folder may also be given as the only argument, as before: btt demo-study <dir>)
--json: one JSON document { out, written, studies } instead of a line per file.`

const CASES = [
  {
    name: 'with-nodule.dcm',
    nodules: [{ x: 170, y: 230, radius: 12, contrast: 650 }],
    patient: 'SYN-0001',
  },
  { name: 'without-nodule.dcm', nodules: [], patient: 'SYN-0002' },
] as const

/** The folder from `--out <dir>` or the one positional (the same folder if both are given). */
function folderOf(argv: string[]): string {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' } },
  })
  if (positionals.length > 1)
    throw new UsageError(`"btt demo-study" takes one folder, got ${positionals.length} arguments`)
  const [given] = positionals
  if (values.out !== undefined && given !== undefined && values.out !== given)
    throw new UsageError(
      `"btt demo-study" got two folders, --out ${values.out} and ${given}: give one (--out)`,
    )
  const dir = values.out ?? given
  if (!dir)
    throw new UsageError('"btt demo-study" needs --out <dir>, the folder to write the studies to')
  return dir
}

/** `btt demo-study --out <dir>`: synthetic studies with known answers. */
export function demoStudyCommand(argv: string[], io: Io): number {
  const dir = folderOf(argv)
  checkOut(dir)
  makeOut(dir)
  const studies = CASES.map((c, i) => {
    const file = join(dir, c.name)
    const bytes = writeDicom({
      frames: [syntheticChest({ seed: 100 + i, nodules: [...c.nodules] })],
      rows: 512,
      columns: 512,
      patientId: c.patient,
    })
    write(file, bytes)
    const what = c.nodules.length ? 'one round opacity' : 'no opacity'
    if (!io.json) io.out.write(`wrote ${file} (synthetic, ${what})\n`)
    return { file, patientId: c.patient, opacities: c.nodules.length }
  })
  if (io.json)
    io.out.write(`${JSON.stringify({ out: dir, written: studies.map((s) => s.file), studies })}\n`)
  return 0
}
