import { type AnalysisResult, decodeDicom } from '@btt/compute'
import { patientAndStudy, resultUids, writePart10 } from './part10.js'

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7'

/**
 * A Secondary Capture image for viewers that cannot render SR: the analysed frame, windowed to
 * 8 bits (1st–99th percentile), with each present finding's outline (its mask's edge, when the
 * model outputs one) and box burned in (white).
 * Patient and study come from the source; a new series, Burned In Annotation YES, and a Source
 * Image Sequence pointing at the analysed image.
 *
 * @param image - one image of an analysis result.
 * @param source - that image's DICOM file.
 * @returns the Secondary Capture as a Part 10 file.
 */
export async function createOverlayImage(
  image: AnalysisResult['images'][number],
  source: Uint8Array,
): Promise<Uint8Array> {
  const decoded = await decodeDicom(source)
  const frame = decoded.frames[image.frame]!
  const { rows, columns } = decoded
  const n = rows * columns
  // percentile window over stored values (rescale does not change the order)
  const sample = Math.min(n, 65_536)
  const sorted = Float64Array.from(
    { length: sample },
    (_, i) => frame[Math.floor((i * n) / sample) * decoded.samplesPerPixel]!,
  )
  sorted.sort()
  const lo = sorted[Math.floor(sorted.length * 0.01)]!
  const hi = Math.max(lo + 1, sorted[Math.floor(sorted.length * 0.99)]!)
  const invert = decoded.photometricInterpretation === 'MONOCHROME1'
  const pixels = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const v = Math.min(
      255,
      Math.max(0, Math.round(((frame[i * decoded.samplesPerPixel]! - lo) / (hi - lo)) * 255)),
    )
    pixels[i] = invert ? 255 - v : v
  }
  // each finding's outline (mask pixels with a neighbour outside the mask), then its box
  for (const f of image.findings) {
    const m = f.mask
    if (!f.present || !m || m.rows !== rows || m.columns !== columns) continue
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < columns; x++) {
        const i = y * columns + x
        if (!m.pixels[i]) continue
        const edge =
          x === 0 ||
          y === 0 ||
          x === columns - 1 ||
          y === rows - 1 ||
          !m.pixels[i - 1] ||
          !m.pixels[i + 1] ||
          !m.pixels[i - columns] ||
          !m.pixels[i + columns]
        if (edge) pixels[i] = 255
      }
  }
  for (const f of image.findings) {
    if (!f.present || !f.box) continue
    const x0 = Math.max(0, f.box.x)
    const y0 = Math.max(0, f.box.y)
    const x1 = Math.min(columns - 1, f.box.x + f.box.width)
    const y1 = Math.min(rows - 1, f.box.y + f.box.height)
    for (let t = 0; t < 2; t++) {
      for (let x = x0; x <= x1; x++) {
        pixels[Math.min(rows - 1, y0 + t) * columns + x] = 255
        pixels[Math.max(0, y1 - t) * columns + x] = 255
      }
      for (let y = y0; y <= y1; y++) {
        pixels[y * columns + Math.min(columns - 1, x0 + t)] = 255
        pixels[y * columns + Math.max(0, x1 - t)] = 255
      }
    }
  }
  const src = decoded.dataset
  const uids = resultUids(undefined)
  const dataset: Record<string, unknown> = {
    ...patientAndStudy(src, image.studyInstanceUid),
    Modality: 'OT',
    SeriesInstanceUID: uids.series,
    SeriesNumber: 901,
    SeriesDescription: 'AI findings overlay',
    ConversionType: 'WSD',
    Laterality: src.Laterality ?? '',
    InstanceNumber: 1,
    PatientOrientation: src.PatientOrientation ?? '',
    ImageType: ['DERIVED', 'SECONDARY'],
    DerivationDescription: 'BTT AI findings burned in over the analysed image',
    BurnedInAnnotation: 'YES',
    SourceImageSequence: [
      { ReferencedSOPClassUID: image.sopClassUid, ReferencedSOPInstanceUID: image.sopInstanceUid },
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
  }
  return writePart10(dataset)
}
