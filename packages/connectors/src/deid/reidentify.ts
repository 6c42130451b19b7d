/// <reference path="../types/dcmjs.d.ts" />
import { unSequencesAsSq } from '@btt/compute'
import dcmjs from 'dcmjs'
import { ConnectorsError } from '../errors.js'
import { readablePart10 } from './readablePart10.js'
import type { PseudonymVault } from './vault.js'

type Element = { vr: string; Value?: unknown[] }
type Dataset = Record<string, Element>

/**
 * Restores originals in a DICOM file computed on de-identified data (e.g. a DICOM SR result from a
 * remote node): every UID, Patient ID and Patient Name found in the vault is put back, in nested
 * sequences too, and the file meta follows the SOP Instance UID.
 *
 * @returns the re-identified file and how many values were restored.
 */
export function reidentify(
  bytes: Uint8Array,
  options: { vault: PseudonymVault; file?: string },
): { bytes: Uint8Array; restored: number } {
  const file = options.file ?? '(buffer)'
  // what dcmtk reads, structure checked before dcmjs sees it (issue 11)
  bytes = unSequencesAsSq(
    readablePart10(bytes, {
      file,
      code: 'REID_UNREADABLE_FILE',
      verb: 're-identify',
      check: true,
    }),
    file,
  )
  let dict: InstanceType<typeof dcmjs.data.DicomDict>
  try {
    dict = dcmjs.data.DicomMessage.readFile(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    )
  } catch (error) {
    throw new ConnectorsError(
      'REID_UNREADABLE_FILE',
      `${file}: cannot re-identify: ${(error as Error).message || 'malformed'}.`,
      { cause: error, details: { file } },
    )
  }
  let restored = 0
  const lookup = (v: string) => {
    const hit = options.vault.original(v.trim())
    if (hit) restored++
    return hit?.original ?? v
  }
  const walk = (ds: Dataset) => {
    for (const el of Object.values(ds)) {
      if (el.vr === 'SQ') for (const item of (el.Value ?? []) as Dataset[]) walk(item)
      else if (el.vr === 'UI' || el.vr === 'LO')
        el.Value = (el.Value ?? []).map((v) => (typeof v === 'string' ? lookup(v) : v))
      else if (el.vr === 'PN')
        el.Value = (el.Value ?? []).map((v) => {
          const name = typeof v === 'string' ? v : (v as { Alphabetic?: string }).Alphabetic
          return name ? { Alphabetic: lookup(name) } : v
        })
    }
  }
  walk(dict.dict as Dataset)
  // dcmjs reads a zero-length item as no item; the Shared Functional Groups Sequence always has
  // exactly one (PS3.3 C.7.6.16), empty for e.g. a SEG of projection images: put it back
  const shared = (dict.dict as Dataset)['52009229']
  if (shared && !shared.Value?.length) shared.Value = [{}]
  const sop = (dict.dict as Dataset)['00080018']?.Value?.[0]
  if (typeof sop === 'string') (dict.meta as Dataset)['00020003'] = { vr: 'UI', Value: [sop] }
  try {
    // values are written as they were read: a long CS in the source is not a reason to fail
    return { bytes: new Uint8Array(dict.write({ allowInvalidVRLength: true })), restored }
  } catch (error) {
    throw new ConnectorsError(
      'REID_UNREADABLE_FILE',
      `${file}: cannot re-identify: dcmjs cannot write what it read (${(error as Error).message}).`,
      { cause: error, details: { file } },
    )
  }
}
