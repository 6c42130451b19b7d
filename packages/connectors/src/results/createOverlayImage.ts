import { type AnalysisResult, decodeDicom } from '@btt/compute'
import { parseWithCode } from '@btt/core'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'
import { burnBoxes, burnOutlines, windowTo8Bits } from './overlayPixels.js'
import { patientAndStudy, resultUids, writePart10 } from './part10.js'
import { analysisResultSchema } from './schemas.js'

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7'

const argumentsSchema = z.tuple([
  analysisResultSchema.shape.images.element,
  z.instanceof(Uint8Array),
])

export type CreateOverlayImageErrorType = ConnectorsError

/**
 * A Secondary Capture image for viewers that cannot render SR: the analysed frame, windowed to
 * 8 bits (1st–99th percentile), with each present finding's outline (its mask's edge, when the
 * model outputs one) and box burned in (white). An image without a finding gives the frame alone.
 * Patient and study come from the source; a new series, Burned In Annotation YES, and a Source
 * Image Sequence pointing at the analysed image (and frame).
 *
 * @param image - one image of an analysis result.
 * @param source - that image's DICOM file.
 * @returns the Secondary Capture as a Part 10 file.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for a malformed image; `RESULT_ENCODING_FAILED`
 * when the source cannot be decoded or has no such frame.
 * @example
 * ```ts
 * import { analyze } from '@btt/compute'
 * import { createOverlayImage } from '@btt/connectors'
 * const result = await analyze([file])
 * const sc = await createOverlayImage(result.images[0]!, file)
 * ```
 */
export async function createOverlayImage(
  image: AnalysisResult['images'][number],
  source: Uint8Array,
): Promise<Uint8Array> {
  parseWithCode(
    argumentsSchema,
    [image, source],
    'overlay image arguments',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const { decoded, frame } = await decodeFrame(image, source)
  const { rows, columns } = decoded
  const pixels = windowTo8Bits(frame, {
    rows,
    columns,
    samplesPerPixel: decoded.samplesPerPixel,
    monochrome1: decoded.photometricInterpretation === 'MONOCHROME1',
  })
  burnOutlines(pixels, image.findings, rows, columns)
  burnBoxes(pixels, image.findings, rows, columns)
  const src = decoded.dataset
  const uids = resultUids(undefined)
  const multiFrame = decoded.frames.length > 1
  return writePart10({
    ...patientAndStudy(src, image.studyInstanceUid),
    Modality: 'OT',
    SeriesInstanceUID: uids.series,
    SeriesNumber: 901,
    SeriesDescription: 'AI findings overlay',
    ConversionType: 'WSD',
    // Laterality (Type 2C) is needed for a paired body part: the source's body part and
    // laterality are copied; with neither known, laterality is empty (unknown)
    ...(src.BodyPartExamined ? { BodyPartExamined: src.BodyPartExamined } : {}),
    ...(src.Laterality || !src.BodyPartExamined ? { Laterality: src.Laterality ?? '' } : {}),
    InstanceNumber: 1,
    PatientOrientation: src.PatientOrientation ?? '',
    ImageType: ['DERIVED', 'SECONDARY'],
    DerivationDescription: 'BTT AI findings burned in over the analysed image',
    BurnedInAnnotation: 'YES',
    SourceImageSequence: [
      {
        ReferencedSOPClassUID: image.sopClassUid,
        ReferencedSOPInstanceUID: image.sopInstanceUid,
        ...(multiFrame ? { ReferencedFrameNumber: image.frame + 1 } : {}),
      },
    ],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OB' },
    SOPClassUID: SECONDARY_CAPTURE,
    SOPInstanceUID: uids.instance,
  })
}

/** The source decoded, and the analysed frame of it. */
async function decodeFrame(image: AnalysisResult['images'][number], source: Uint8Array) {
  let decoded: Awaited<ReturnType<typeof decodeDicom>>
  try {
    decoded = await decodeDicom(source)
  } catch (cause) {
    throw new ConnectorsError(
      'RESULT_ENCODING_FAILED',
      `Cannot decode the source of ${image.file}.`,
      {
        cause,
        details: { file: image.file },
      },
    )
  }
  const frame = decoded.frames[image.frame]
  if (!frame)
    throw new ConnectorsError(
      'RESULT_ENCODING_FAILED',
      `The source of ${image.file} has no frame ${image.frame + 1}.`,
      { details: { file: image.file, frame: image.frame } },
    )
  return { decoded, frame }
}
