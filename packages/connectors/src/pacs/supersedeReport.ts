import { naturalize, writePart10 } from '../results/part10.js'

/** The SR a new version supersedes. */
export type Predecessor = {
  studyInstanceUid: string
  seriesInstanceUid: string | null
  sopInstanceUid: string
  /** How many versions there were (the new SR is number `versions + 1`). */
  versions: number
}

const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33'

/**
 * Makes an SR a new version of an earlier one (PS3.3 C.17.2): it lists the earlier SR in
 * Predecessor Documents Sequence (0040,A360), goes into the same series and takes the next
 * Instance Number, so a viewer shows the update in place of the report it replaces.
 *
 * @param sr - the new SR (Part 10).
 * @param previous - the SR it supersedes.
 * @returns the new SR with the predecessor recorded (a new array; `sr` is not changed).
 * @example
 * ```ts
 * const updated = supersedeReport(sr, { studyInstanceUid, seriesInstanceUid, sopInstanceUid, versions: 1 })
 * ```
 */
export function supersedeReport(sr: Uint8Array, previous: Predecessor): Uint8Array {
  const dataset = naturalize(sr)
  const series = previous.seriesInstanceUid ?? String(dataset.SeriesInstanceUID)
  return writePart10({
    ...dataset,
    SeriesInstanceUID: series,
    InstanceNumber: previous.versions + 1,
    PredecessorDocumentsSequence: [
      {
        StudyInstanceUID: previous.studyInstanceUid,
        ReferencedSeriesSequence: [
          {
            SeriesInstanceUID: series,
            ReferencedSOPSequence: [
              {
                ReferencedSOPClassUID: String(dataset.SOPClassUID ?? COMPREHENSIVE_SR),
                ReferencedSOPInstanceUID: previous.sopInstanceUid,
              },
            ],
          },
        ],
      },
    ],
  })
}
