/// <reference path="../../types/dicom-parser.d.ts" />
import dicomParser, { type DataSet } from 'dicom-parser'
import { z } from 'zod'
import { parseArgs } from '../../validate.js'
import { readFileMeta } from './readFileMeta.js'
import { ReadFailure, unreadableAt } from './unreadableAt.js'
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN } from './vr.js'

const argsSchema = z.tuple([z.instanceof(Uint8Array), z.string()])

type Parser = unknown
type LowLevel = {
  littleEndianByteArrayParser: Parser
  bigEndianByteArrayParser: Parser
  ByteStream: new (parser: Parser, bytes: Uint8Array, position: number) => unknown
  DataSet: new (parser: Parser, bytes: Uint8Array, elements: Record<string, unknown>) => DataSet
  parseDicomDataSetExplicit(ds: DataSet, stream: unknown, max: number, options?: object): void
  parseDicomDataSetImplicit(ds: DataSet, stream: unknown, max: number, options?: object): void
}
const low = dicomParser as unknown as LowLevel

export type ParsePart10ErrorType = import('../../errors.js').ComputeError

/**
 * dicom-parser's `parseDicom`, with the file meta header's end found as dcmtk finds it: the meta
 * header is group 0002 and nothing else, so a dataset that starts with elements of group 0000 or
 * 0001 (which `parseDicom` reads as meta, in explicit VR, losing its place in implicit VR) is read
 * as the dataset. Give it {@link toPart10}'s output.
 *
 * @param bytes - a Part 10 file (not changed).
 * @param file - a name for messages.
 * @returns the dataset, meta elements merged in, as `parseDicom` returns it.
 * @throws {ComputeError} `COMPUTE_UNREADABLE_DICOM` (the reason and, where known, the offset).
 * @example
 * ```ts
 * import { parsePart10 } from '@btt/compute'
 * import { writeDicom } from '@btt/compute/testing'
 * const ds = parsePart10(writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 }))
 * console.log(ds.uint16('x00280010')) // 2
 * ```
 */
export function parsePart10(bytes: Uint8Array, file = '(buffer)'): DataSet {
  parseArgs(argsSchema, [bytes, file], 'parsePart10 arguments')
  let offset = 0
  try {
    const layout = readFileMeta(bytes)
    if (layout.form !== 'part10' || layout.transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)
      return dicomParser.parseDicom(bytes)
    const le = low.littleEndianByteArrayParser
    const meta = new low.DataSet(le, bytes, {})
    low.parseDicomDataSetExplicit(
      meta,
      new low.ByteStream(le, bytes, layout.metaOffset),
      layout.datasetOffset,
    )
    offset = layout.datasetOffset
    const parser = layout.encoding.littleEndian ? le : low.bigEndianByteArrayParser
    const ds = new low.DataSet(parser, bytes, {})
    const stream = new low.ByteStream(parser, bytes, layout.datasetOffset)
    if (layout.encoding.explicit) low.parseDicomDataSetExplicit(ds, stream, bytes.byteLength)
    else low.parseDicomDataSetImplicit(ds, stream, bytes.byteLength)
    for (const [tag, element] of Object.entries(meta.elements))
      ds.elements[tag] = Object.assign(element, { parser: le })
    return ds
  } catch (error) {
    if (error instanceof ReadFailure) throw unreadableAt(file, error.reason, error.offset)
    const reason =
      error instanceof Error
        ? error.message
        : typeof error === 'string'
          ? error
          : String((error as { exception?: unknown })?.exception ?? 'malformed')
    throw unreadableAt(file, `dicom-parser: ${reason}`, offset, error)
  }
}
