import { join } from 'node:path'
import type { RunResult } from '../engine/columns.js'
import { SimulatorError } from '../errors.js'
import { csvRows, epochsHeader, monthsHeader } from './csvRows.js'
import { makeFolder } from './makeFolder.js'
import { type TemporaryFile, temporaryFile } from './temporaryFile.js'

/** A simulation's output folder while it runs. */
export type Output = {
  /** Appends a run's rows to `epochs.csv` and `months.csv`. */
  writeRun(result: RunResult): Promise<void>
  /** Writes `summary.json` and `report.html`, then renames all four files into place. */
  finish(summary: unknown, report: string): Promise<void>
  /** Removes every temporary file; the folder keeps what it had before. Never throws. */
  discard(): void
}

/**
 * Creates the output folder (checked beforehand by {@link checkOutput}) and opens its CSV files
 * under temporary names. Nothing gets its final name until {@link Output.finish}.
 *
 * @throws {SimulatorError} `SIM_OUTPUT_NOT_WRITABLE` when the folder or a file cannot be created.
 */
export function openOutput(dir: string, tierIds: readonly string[], perNode = false): Output {
  const files: TemporaryFile[] = []
  const wrap = (error: unknown) =>
    error instanceof SimulatorError
      ? error
      : new SimulatorError(
          'SIM_OUTPUT_NOT_WRITABLE',
          `Cannot write to ${dir}: ${(error as Error).message}`,
          { cause: error, details: { out: dir } },
        )
  const discard = () => {
    for (const f of files) f.discard()
  }
  let epochs: TemporaryFile
  let months: TemporaryFile
  try {
    makeFolder(dir)
    epochs = temporaryFile(join(dir, 'epochs.csv'))
    files.push(epochs)
    months = temporaryFile(join(dir, 'months.csv'))
    files.push(months)
  } catch (error) {
    discard()
    throw wrap(error)
  }
  const guard = async (work: () => Promise<void>) => {
    try {
      await work()
    } catch (error) {
      discard()
      throw wrap(error)
    }
  }
  let started = false
  const headers = async () => {
    if (started) return
    started = true
    await epochs.write(epochsHeader())
    await months.write(monthsHeader(tierIds, perNode))
  }
  return {
    writeRun: (result) =>
      guard(async () => {
        await headers()
        const rows = csvRows(result, tierIds)
        await epochs.write(rows.epochs)
        await months.write(rows.months)
      }),
    finish: (summary, report) =>
      guard(async () => {
        await headers()
        await epochs.end()
        await months.end()
        for (const [name, text] of [
          ['summary.json', `${JSON.stringify(summary, null, 2)}\n`],
          ['report.html', report],
        ] as const) {
          const file = temporaryFile(join(dir, name))
          files.push(file)
          await file.write(text)
          await file.end()
        }
        for (const f of files) f.commit()
        files.length = 0
      }),
    discard,
  }
}
