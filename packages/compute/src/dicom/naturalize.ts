/// <reference path="../types/dcmjs.d.ts" />
import dcmjs from 'dcmjs'
import { z } from 'zod'
import { ComputeError } from '../errors.js'
import { parseArgs } from '../validate.js'
import { toPart10 } from './part10/toPart10.js'
import { unSequencesAsSq } from './part10/unSequencesAsSq.js'

const argsSchema = z.tuple([z.instanceof(Uint8Array), z.string()])

/**
 * The attributes of a DICOM Part 10 file, naturalized by dcmjs (keyword → value), read up to and
 * not including Pixel Data. The one copy of this helper in the SDK (connectors imports it).
 *
 * @param bytes - the file's bytes (not changed).
 * @param file - a name for messages.
 * @returns the naturalized dataset, e.g. `{ PatientName: …, StudyInstanceUID: … }`.
 * @throws {ComputeError} `COMPUTE_UNREADABLE_DICOM` when dcmjs cannot read the file.
 * @example
 * ```ts
 * import { naturalize } from '@btt/compute'
 * import { writeDicom } from '@btt/compute/testing'
 * const ds = naturalize(writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 }))
 * console.log(ds.Modality) // 'DX'
 * ```
 */
export function naturalize(bytes: Uint8Array, file = '(buffer)'): Record<string, unknown> {
  parseArgs(argsSchema, [bytes, file], 'naturalize arguments')
  // what dcmtk reads: no meta header, CP-246 UN sequences (dcmjs reads neither)
  const part10 = toPart10(bytes, file)
  bytes = part10.unSequences ? unSequencesAsSq(part10.bytes, file) : part10.bytes
  try {
    const dict = dcmjs.data.DicomMessage.readFile(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      { untilTag: '7FE00010', includeUntilTagValue: false },
    )
    return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict)
  } catch (error) {
    throw new ComputeError(
      'COMPUTE_UNREADABLE_DICOM',
      `${file}: not a readable DICOM file: ${(error as Error).message}.`,
      { cause: error, details: { file, reason: (error as Error).message } },
    )
  }
}
