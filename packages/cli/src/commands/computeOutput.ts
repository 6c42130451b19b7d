// Where `btt analyze` and `btt demo-study` write: checked before the work, written atomically,
// with @btt/compute's coded errors.
import { ComputeError } from '@btt/compute'
import { makeFolder, outputFolderProblem, writeAtomic } from '../outputFolder.js'

/** --out can be a folder written to (a coded error, before any work, when it cannot). */
export function checkOut(out: string): void {
  const problem = outputFolderProblem(out)
  if (problem)
    throw new ComputeError('COMPUTE_INVALID_ARGUMENT', `--out ${out} cannot be used: ${problem}.`, {
      details: { out, problem },
    })
}

export function makeOut(out: string): void {
  try {
    makeFolder(out)
  } catch (cause) {
    throw new ComputeError('COMPUTE_INVALID_ARGUMENT', `Cannot create the folder ${out}.`, {
      cause,
      details: { out },
    })
  }
}

/** Writes one output atomically; a coded error when it cannot. */
export function write(file: string, data: string | Uint8Array): void {
  try {
    writeAtomic(file, data)
  } catch (cause) {
    throw new ComputeError('COMPUTE_INVALID_ARGUMENT', `Cannot write ${file}.`, {
      cause,
      details: { file },
    })
  }
}
