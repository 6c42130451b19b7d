import { toBttError } from '@btt/core'
import type { DicomwebClient } from '../dicomweb/createDicomwebClient.js'
import { ConnectorsError } from '../errors.js'
import { fileMeta } from '../results/part10.js'

/** What the PACS took. */
export type StoredResults = { srUid: string; segUids: string[]; warnings: string[] }

/**
 * Stores the SR, then the SEGs, by STOW-RS. The SR is the result: if the PACS refuses it, the job
 * fails (`PACS_STORE_REFUSED`) and is retried. SEGs are extra (not every PACS takes the SOP
 * class): a refusal is a warning, not a failed job, so the SR is not stored twice.
 *
 * @param pacs - the DICOMweb client.
 * @param sr - the SR (Part 10).
 * @param segs - the SEGs (Part 10), possibly none.
 * @returns the SR's UID, the SEGs stored and the warnings.
 * @example
 * ```ts
 * const { srUid, warnings } = await storeResults(pacs, sr, segs)
 * ```
 */
export async function storeResults(
  pacs: Pick<DicomwebClient, 'store'>,
  sr: Uint8Array,
  segs: readonly Uint8Array[],
): Promise<StoredResults> {
  const srUid = fileMeta(sr).sopInstanceUid
  const { stored, failed } = await pacs.store([sr])
  if (failed.length || !stored.includes(srUid))
    throw new ConnectorsError('PACS_STORE_REFUSED', 'The PACS refused the SR.', {
      details: { sopInstanceUid: srUid, failed },
    })
  const warnings: string[] = []
  const segUids: string[] = []
  if (segs.length) {
    try {
      const r = await pacs.store(segs)
      for (const seg of segs) {
        const uid = fileMeta(seg).sopInstanceUid
        if (r.stored.includes(uid)) segUids.push(uid)
        else warnings.push(`the PACS refused SEG ${uid}`)
      }
    } catch (error) {
      warnings.push(`storing the SEG failed: ${toBttError(error).shortMessage}`)
    }
  }
  return { srUid, segUids, warnings }
}
