import { readFileMeta } from './readFileMeta.js'

const JPEG_LOSSLESS = '1.2.840.10008.1.2.4.57'
const JPEG_LOSSLESS_SV1 = '1.2.840.10008.1.2.4.70'

/**
 * A JPEG Lossless (process 14, `1.2.840.10008.1.2.4.57`) file relabelled as JPEG Lossless SV1
 * (`.4.70`) for dcmjs-codecs, which decodes SV1 only by name: SV1 is the subset with predictor 1,
 * the codestream format is the same, and the decoder takes the predictor from each scan header
 * (checked against dcmtk `dcmcjpeg +el`, selection value 6). Other files are returned as they are.
 *
 * @param bytes - a Part 10 file (not changed).
 * @returns the input, or a copy whose file meta says `.4.70`.
 */
export function relabelJpegLossless(bytes: Uint8Array): Uint8Array {
  const { metaOffset, datasetOffset, transferSyntaxUid } = readFileMeta(bytes)
  if (transferSyntaxUid !== JPEG_LOSSLESS) return bytes
  const meta = String.fromCharCode(...bytes.subarray(metaOffset, datasetOffset))
  const at = meta.indexOf(JPEG_LOSSLESS)
  const copy = bytes.slice()
  for (let i = 0; i < JPEG_LOSSLESS_SV1.length; i++)
    copy[metaOffset + at + i] = JPEG_LOSSLESS_SV1.charCodeAt(i)
  return copy
}
