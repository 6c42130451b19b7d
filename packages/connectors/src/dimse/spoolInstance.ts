import { randomBytes } from 'node:crypto'
import { mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ConnectorsError } from '../errors.js'

const UID = /^[0-9]+(\.[0-9]+)*$/

/** What `spoolInstance` wrote. */
export type SpooledInstance = {
  studyInstanceUid: string
  file: string
  /** Number of Study Related Instances (0020,1208), when the instance carries it. */
  expected: number | undefined
}

/**
 * Writes one received instance to `spoolDir/<StudyInstanceUID>/<SOPInstanceUID>.dcm`, in the
 * transfer syntax it came in, atomically (a temporary `.part` name, then a rename). An instance without a valid Study or SOP Instance UID is refused
 * with `SCP_INVALID_INSTANCE` (the SCP answers it with a failure status; the association goes on).
 *
 * @param dataset - dcmjs-dimse's dataset of the C-STORE request.
 * @param sopFromCommand - the Affected SOP Instance UID of the command, when the dataset has none.
 * @param spoolDir - the spool folder.
 * @returns the study, the file and the announced instance count.
 * @example
 * ```ts
 * const { studyInstanceUid, file } = spoolInstance(request.getDataset(), request.getAffectedSopInstanceUid(), spool)
 * ```
 */
export function spoolInstance(
  dataset: { getElements(): Record<string, unknown>; toFile(path: string): void },
  sopFromCommand: string | undefined,
  spoolDir: string,
): SpooledInstance {
  const elements = dataset.getElements()
  const study = String(elements.StudyInstanceUID ?? '').trim()
  const sop = String(elements.SOPInstanceUID ?? sopFromCommand ?? '').trim()
  if (!UID.test(study) || !UID.test(sop) || study.length > 64 || sop.length > 64)
    throw new ConnectorsError(
      'SCP_INVALID_INSTANCE',
      `Refused an instance: ${UID.test(study) ? 'SOP' : 'Study'} Instance UID is missing or invalid.`,
      { details: { studyInstanceUid: study, sopInstanceUid: sop } },
    )
  const dir = join(spoolDir, study)
  try {
    mkdirSync(dir) // one level (the spool folder exists): a recursive mkdir loops forever under /proc
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const file = join(dir, `${sop}.dcm`)
  // atomically: a reader (or a restart) never sees half a file under the instance's name
  const part = `${file}.${randomBytes(6).toString('hex')}.part`
  try {
    dataset.toFile(part)
    renameSync(part, file)
  } catch (error) {
    rmSync(part, { force: true })
    throw error
  }
  const expected = Number(elements.NumberOfStudyRelatedInstances)
  return {
    studyInstanceUid: study,
    file,
    expected: Number.isInteger(expected) && expected > 0 ? expected : undefined,
  }
}
