import { fileMeta } from '../results/part10.js'

/** Structured reports (…88.x) and segmentations, registrations, fiducials (…66.x): not images. */
export const isResultClass = (sopClassUid: string) =>
  sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.88.') ||
  sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.66')

/** The key of a set of instances: their SOP Instance UIDs, sorted, joined by commas. */
export const instancesKey = (sopInstanceUids: readonly string[]) =>
  [...sopInstanceUids].sort().join(',')

/**
 * The images of a study to analyse — its files less the results (SR, SEG …) stored back — and
 * the key of that instance set (what the job store records).
 *
 * @param files - the study's Part 10 files.
 * @returns the source images and their key (empty when the study has no image).
 * @example
 * ```ts
 * const { sources, key } = studyInstances(files)
 * if (jobs.done(study, key)) return
 * ```
 */
export function studyInstances(files: readonly Uint8Array[]): {
  sources: Uint8Array[]
  key: string
} {
  const images = files
    .map((bytes) => ({ bytes, ...fileMeta(bytes) }))
    .filter((m) => !isResultClass(m.sopClassUid))
  return {
    sources: images.map((m) => m.bytes),
    key: instancesKey(images.map((m) => m.sopInstanceUid)),
  }
}
