/// <reference path="../types/dcmjs-codecs.d.ts" />
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { ComputeError } from '../errors.js'
import { parseArgs } from '../validate.js'
import { toPart10 } from './part10/toPart10.js'

type Codecs = typeof import('dcmjs-codecs')
let codecs: Promise<Codecs> | undefined

/** dcmjs-codecs with its WebAssembly codecs loaded from the package (nothing is fetched). */
function loadCodecs(): Promise<Codecs> {
  codecs ??= (async () => {
    const require = createRequire(import.meta.url)
    const mod = require('dcmjs-codecs') as Codecs
    const wasm = join(dirname(require.resolve('dcmjs-codecs')), 'dcmjs-native-codecs.wasm')
    await mod.NativeCodecs.initializeAsync({ webAssemblyModulePathOrUrl: wasm })
    return mod
  })()
  return codecs
}

const argsSchema = z.tuple([
  z.instanceof(Uint8Array),
  z.string().regex(/^[0-9]+(\.[0-9]+)*$/, 'a UID'),
  z.string(),
])

export type TranscodeDicomErrorType = ComputeError

/**
 * Transcodes a DICOM Part 10 file to another transfer syntax (e.g. RLE `1.2.840.10008.1.2.5`,
 * JPEG-LS lossless `1.2.840.10008.1.2.4.80`) with dcmjs-codecs' bundled WebAssembly codecs.
 *
 * @param bytes - the file's bytes (not changed).
 * @param transferSyntaxUid - the transfer syntax to write.
 * @param file - a name for messages.
 * @returns the new file's bytes.
 * @throws {ComputeError} `COMPUTE_UNREADABLE_DICOM` (malformed structure: reason and byte offset),
 * `COMPUTE_TRANSCODE_FAILED` when the file cannot be transcoded.
 * @example
 * ```ts
 * import { transcodeDicom } from '@btt/compute'
 * import { writeDicom } from '@btt/compute/testing'
 * const rle = await transcodeDicom(writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 }), '1.2.840.10008.1.2.5')
 * ```
 */
export async function transcodeDicom(
  bytes: Uint8Array,
  transferSyntaxUid: string,
  file = '(buffer)',
): Promise<Uint8Array> {
  parseArgs(argsSchema, [bytes, transferSyntaxUid, file], 'transcodeDicom arguments')
  // structure checked first: a malformed file (one VR changed to "sq") sent dcmjs-codecs into an endless loop
  bytes = toPart10(bytes, file).bytes
  const { Transcoder } = await loadCodecs()
  try {
    const transcoder = new Transcoder(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    )
    transcoder.transcode(transferSyntaxUid)
    return new Uint8Array(transcoder.getDicomPart10())
  } catch (error) {
    throw new ComputeError(
      'COMPUTE_TRANSCODE_FAILED',
      `${file}: could not transcode to ${transferSyntaxUid}: ${(error as Error).message}.`,
      { cause: error, details: { file, transferSyntaxUid } },
    )
  }
}
