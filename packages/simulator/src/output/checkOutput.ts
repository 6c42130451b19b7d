import { accessSync, constants, realpathSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { SimulatorError } from '../errors.js'
import { OUTPUT_FILES } from './outputFiles.js'

/**
 * Checks an output folder before anything runs or is created: it must not be a file or lie under
 * one, must be writable (or creatable in a writable folder), and none of the files a simulation
 * writes there may be one of the inputs (links resolved).
 *
 * @param out - the output folder.
 * @param inputs - the files the scenario was read from.
 * @returns the output folder, absolute.
 * @throws {SimulatorError} `SIM_OUTPUT_OVERWRITES_INPUT` or `SIM_OUTPUT_NOT_WRITABLE`.
 */
export function checkOutput(out: string, inputs: readonly string[] = []): string {
  const dir = resolve(out)
  const real = realPathOf(dir)
  for (const input of inputs) {
    const target = realPathOf(resolve(input))
    const clash = [real, ...OUTPUT_FILES.map((f) => join(real, f))].find((p) => p === target)
    if (clash)
      throw new SimulatorError(
        'SIM_OUTPUT_OVERWRITES_INPUT',
        `Output ${out} would overwrite the input ${input}; choose another folder.`,
        { details: { out: dir, input: target } },
      )
  }
  const notWritable = (reason: string, cause?: unknown) =>
    new SimulatorError('SIM_OUTPUT_NOT_WRITABLE', `Cannot write to ${out}: ${reason}.`, {
      details: { out: dir, reason },
      ...(cause ? { cause } : {}),
    })
  let existing = dir
  try {
    existing = nearestExisting(dir)
    if (!statSync(existing).isDirectory())
      throw notWritable(
        existing === dir ? 'it exists and is not a folder' : `${existing} is a file, not a folder`,
      )
    accessSync(existing, constants.W_OK | constants.X_OK)
  } catch (error) {
    if (error instanceof SimulatorError) throw error
    throw notWritable(`${existing} is not writable (${(error as Error).message})`, error)
  }
  return dir
}

/** The nearest path at or above `path` that exists. */
function nearestExisting(path: string): string {
  let p = path
  for (;;) {
    try {
      statSync(p)
      return p
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error
      if (dirname(p) === p) return p
      p = dirname(p)
    }
  }
}

/** `path` with links resolved in the part that exists. */
function realPathOf(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    const parent = dirname(path)
    return parent === path ? path : join(realPathOf(parent), basename(path))
  }
}
