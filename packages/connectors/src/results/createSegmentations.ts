import type { AnalysisResult, Finding, ImageResult, Mask } from '@btt/compute'
import { ConnectorsError } from '../errors.js'
import {
  type Code,
  code,
  DCM,
  dateTime,
  fileMeta,
  fromCoding,
  localCode,
  naturalize,
  newUid,
  patientAndStudy,
  type ResultObjectOptions,
  resultUids,
  writePart10,
} from './part10.js'

const SEGMENTATION = '1.2.840.10008.5.1.4.1.1.66.4'
/** (0062,000B) Referenced Segment Number in (0062,000A) Segment Identification Sequence. */
const REFERENCED_SEGMENT_NUMBER = 0x0062_000b
const SEGMENT_IDENTIFICATION_SEQUENCE = 0x0062_000a
/** (0020,0032) Image Position (Patient) in (0020,9113) Plane Position Sequence. */
const IMAGE_POSITION_PATIENT = 0x0020_0032
const PLANE_POSITION_SEQUENCE = 0x0020_9113
/** CID 7150: what a finding's segment is when the manifest does not say. */
const ABNORMAL_STRUCTURE = code('49755003', 'SCT', 'Morphologically abnormal structure')

export type SegmentationOptions = ResultObjectOptions & {
  /** Series Number of the new series (default 902). */
  seriesNumber?: number
  /**
   * `BINARY` (default): 1 bit per pixel, the thresholded masks. `FRACTIONAL`: 8 bits per pixel,
   * the model's probability (0–255 for 0–1; `SegmentationFractionalType` PROBABILITY) — needs
   * masks analysed with `maskProbabilities: true`.
   */
  type?: 'BINARY' | 'FRACTIONAL'
}

type Dataset = Record<string, unknown>
type Masked = { image: ImageResult; finding: Finding & { mask: Mask } }

/**
 * DICOM Segmentation objects (SEG, BINARY or FRACTIONAL) for the masks in an analysis result: one
 * per source series and image size, each a new series in the source's study. Every distinct finding label is
 * a segment (AUTOMATIC, the model named as its algorithm, family "Artificial Intelligence"); every
 * non-empty mask is a frame that points at its source image (and frame) through the Derivation
 * Image functional group. Sources with a patient frame of reference (CT, MR) keep it: pixel
 * measures and orientation are shared, each frame carries its plane position. Projection images
 * (CR, DX) have none, and the segment number is the only dimension.
 *
 * @returns one Part 10 file per series with masks; none when no present finding has a mask.
 * @throws {ConnectorsError} `RESULT_ENCODING_FAILED` when an image with a mask is not among `sources`.
 */
export function createSegmentations(
  result: AnalysisResult,
  options: SegmentationOptions,
): Uint8Array[] {
  const masked: Masked[] = result.images.flatMap((image) =>
    image.findings.flatMap((finding) =>
      finding.present && finding.mask ? [{ image, finding: finding as Masked['finding'] }] : [],
    ),
  )
  if (!masked.length) return []
  // read the attributes of the sources that have masks only (a CT series may have hundreds)
  const needed = new Set(masked.map((m) => m.image.sopInstanceUid))
  const sources = new Map<string, Dataset>()
  for (const bytes of options.sources) {
    const meta = fileMeta(bytes).sopInstanceUid
    if (meta && !needed.has(meta)) continue
    const ds = naturalize(bytes)
    sources.set(String(ds.SOPInstanceUID), ds)
  }
  const groups = new Map<string, Masked[]>()
  for (const m of masked) {
    if (!sources.has(m.image.sopInstanceUid))
      throw new ConnectorsError(
        'RESULT_ENCODING_FAILED',
        `Image ${m.image.sopInstanceUid} (${m.image.file}) has a mask but is not among the sources: give the analysed files as \`sources\`.`,
      )
    const key = `${m.image.seriesInstanceUid}|${m.image.rows}x${m.image.columns}`
    groups.set(key, [...(groups.get(key) ?? []), m])
  }
  return [...groups.values()].map((group) => segmentation(result, group, sources, options))
}

function segmentation(
  result: AnalysisResult,
  group: Masked[],
  sources: Map<string, Dataset>,
  options: SegmentationOptions,
): Uint8Array {
  const first = sources.get(group[0]!.image.sopInstanceUid)!
  const { rows, columns, seriesInstanceUid } = group[0]!.image
  const uids = resultUids(
    options.idempotencyKey &&
      `${options.idempotencyKey}|seg|${seriesInstanceUid}|${rows}x${columns}`,
  )
  const { date, time } = dateTime(options.at ?? new Date())
  const algorithm = {
    AlgorithmFamilyCodeSequence: [DCM('123110', 'Artificial Intelligence')],
    AlgorithmName: result.model.name.slice(0, 64),
    AlgorithmVersion: result.model.version.slice(0, 64),
    AlgorithmParameters: `model ${result.model.id}; sha256 ${result.model.sha256}`,
  }
  // segments: one per label, numbered from 1 in order of first appearance
  const labels = [...new Set(group.map((m) => m.finding.label))]
  const segments = labels.map((label, i) => {
    const { finding } = group.find((m) => m.finding.label === label)!
    const type: Code = finding.code ? fromCoding(finding.code) : localCode(label)
    return {
      SegmentNumber: i + 1,
      SegmentLabel: label.slice(0, 64),
      SegmentedPropertyCategoryCodeSequence: [
        finding.category ? fromCoding(finding.category) : ABNORMAL_STRUCTURE,
      ],
      SegmentedPropertyTypeCodeSequence: [type],
      SegmentAlgorithmType: 'AUTOMATIC',
      SegmentAlgorithmName: algorithm.AlgorithmName,
      SegmentationAlgorithmIdentificationSequence: [algorithm],
    }
  })
  // frames ordered by segment, then by source image and frame
  const frames = labels.flatMap((label, i) =>
    group.filter((m) => m.finding.label === label).map((m) => ({ ...m, segment: i + 1 })),
  )
  const fractional = options.type === 'FRACTIONAL'
  const planes = frames.map(({ image, finding }) => {
    if (!fractional) return finding.mask.pixels
    if (!finding.mask.probabilities)
      throw new ConnectorsError(
        'RESULT_ENCODING_FAILED',
        `A FRACTIONAL SEG needs each mask's probabilities: ${image.file} has none (analyze with \`maskProbabilities: true\`).`,
      )
    return finding.mask.probabilities
  })
  // patient-space geometry of every frame, when every source frame has one
  const geometries = frames.map((f) =>
    frameGeometry(sources.get(f.image.sopInstanceUid)!, f.image.frame),
  )
  const geometry = geometries.every(Boolean) ? geometries[0] : undefined
  const organization = newUid()
  const dimensions: Dataset[] = [
    {
      DimensionOrganizationUID: organization,
      DimensionIndexPointer: REFERENCED_SEGMENT_NUMBER,
      FunctionalGroupPointer: SEGMENT_IDENTIFICATION_SEQUENCE,
      DimensionDescriptionLabel: 'Segment Number',
    },
  ]
  if (geometry)
    dimensions.push({
      DimensionOrganizationUID: organization,
      DimensionIndexPointer: IMAGE_POSITION_PATIENT,
      FunctionalGroupPointer: PLANE_POSITION_SEQUENCE,
      DimensionDescriptionLabel: 'Image Position (Patient)',
    })
  // with a frame of reference, the second dimension index orders frames along the normal
  const positionIndex = new Map<string, number>()
  if (geometry) {
    const at = new Map(
      frames.map((f, i) => [`${f.image.sopInstanceUid}#${f.image.frame}`, geometries[i]!.along]),
    )
    const order = [...at.keys()].sort((a, b) => at.get(a)! - at.get(b)!)
    for (const [i, key] of order.entries()) positionIndex.set(key, i + 1)
  }
  const perFrame = frames.map(({ image, segment }, i) => {
    const src = sources.get(image.sopInstanceUid)!
    const multiFrame = Number(src.NumberOfFrames ?? 1) > 1
    return {
      DerivationImageSequence: [
        {
          DerivationCodeSequence: [DCM('113076', 'Segmentation')],
          SourceImageSequence: [
            {
              ReferencedSOPClassUID: image.sopClassUid,
              ReferencedSOPInstanceUID: image.sopInstanceUid,
              ...(multiFrame ? { ReferencedFrameNumber: image.frame + 1 } : {}),
              PurposeOfReferenceCodeSequence: [
                DCM('121322', 'Source image for image processing operation'),
              ],
            },
          ],
        },
      ],
      FrameContentSequence: [
        {
          DimensionIndexValues: geometry
            ? [segment, positionIndex.get(`${image.sopInstanceUid}#${image.frame}`)!]
            : [segment],
        },
      ],
      ...(geometry
        ? { PlanePositionSequence: [{ ImagePositionPatient: geometries[i]!.position }] }
        : {}),
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: segment }],
    }
  })
  const referenced = [...new Map(frames.map((f) => [f.image.sopInstanceUid, f.image])).values()]
  const dataset: Dataset = {
    ...patientAndStudy(first),
    // General Series + Segmentation Series
    Modality: 'SEG',
    SeriesInstanceUID: uids.series,
    SeriesNumber: options.seriesNumber ?? 902,
    SeriesDescription: `AI segmentation: ${result.model.name}`.slice(0, 64),
    ...(first.Laterality ? { Laterality: first.Laterality } : {}),
    ...(geometry
      ? {
          FrameOfReferenceUID: first.FrameOfReferenceUID,
          PositionReferenceIndicator: first.PositionReferenceIndicator ?? '',
        }
      : {}),
    // General + Enhanced General Equipment
    Manufacturer: options.manufacturer ?? 'BTT',
    ManufacturerModelName: result.model.id.slice(0, 64),
    DeviceSerialNumber: result.model.sha256.slice(0, 16),
    SoftwareVersions: result.model.version.slice(0, 64),
    // General Image, Segmentation Image (Content Identification)
    InstanceNumber: 1,
    ...(geometry ? {} : { PatientOrientation: first.PatientOrientation ?? '' }),
    ContentDate: date,
    ContentTime: time,
    ImageType: ['DERIVED', 'PRIMARY'],
    ContentLabel: 'AI_FINDINGS',
    ContentDescription: `Findings of ${result.model.id} ${result.model.version}`.slice(0, 64),
    ContentCreatorName: '',
    SegmentationType: fractional ? 'FRACTIONAL' : 'BINARY',
    ...(fractional
      ? { SegmentationFractionalType: 'PROBABILITY', MaximumFractionalValue: 255 }
      : {}),
    SegmentsOverlap: overlaps(planes, frames) ? 'YES' : 'NO',
    SegmentSequence: segments,
    // Image Pixel (1 bit)
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: fractional ? 8 : 1,
    BitsStored: fractional ? 8 : 1,
    HighBit: fractional ? 7 : 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    // Multi-frame Functional Groups + Multi-frame Dimension
    NumberOfFrames: frames.length,
    SharedFunctionalGroupsSequence: [
      geometry
        ? {
            PixelMeasuresSequence: [geometry.pixelMeasures],
            PlaneOrientationSequence: [{ ImageOrientationPatient: geometry.orientation }],
          }
        : {},
    ],
    PerFrameFunctionalGroupsSequence: perFrame,
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: organization }],
    DimensionIndexSequence: dimensions,
    // Common Instance Reference
    ReferencedSeriesSequence: [
      {
        SeriesInstanceUID: group[0]!.image.seriesInstanceUid,
        ReferencedInstanceSequence: referenced.map((i) => ({
          ReferencedSOPClassUID: i.sopClassUid,
          ReferencedSOPInstanceUID: i.sopInstanceUid,
        })),
      },
    ],
    // SOP Common
    SOPClassUID: SEGMENTATION,
    SOPInstanceUID: uids.instance,
    PixelData: [(fractional ? concatEven(planes) : packBits(planes)).buffer],
    _vrMap: { PixelData: 'OB' },
  }
  if (/[^\x20-\x7e]/.test(JSON.stringify(dataset))) dataset.SpecificCharacterSet = 'ISO_IR 192'
  return writePart10(dataset)
}

/**
 * Frames of one byte per pixel packed 1 bit per pixel, frames back to back with no padding
 * between them, the least significant bit first (PS3.5 §8.1.1 / PS3.3 C.8.20.2.1); the whole
 * padded to an even length.
 */
export function packBits(frames: readonly Uint8Array[]): Uint8Array {
  const bits = frames.reduce((n, f) => n + f.length, 0)
  const bytes = Math.ceil(bits / 8)
  const out = new Uint8Array(bytes + (bytes % 2))
  let i = 0
  for (const frame of frames) {
    let p = 0
    if ((i & 7) === 0) {
      // byte-aligned (every frame whose size is a multiple of 8, e.g. 512×512): 8 pixels a byte
      const whole = frame.length & ~7
      let at = i >> 3
      for (; p < whole; p += 8)
        out[at++] =
          (frame[p] ? 1 : 0) |
          (frame[p + 1] ? 2 : 0) |
          (frame[p + 2] ? 4 : 0) |
          (frame[p + 3] ? 8 : 0) |
          (frame[p + 4] ? 16 : 0) |
          (frame[p + 5] ? 32 : 0) |
          (frame[p + 6] ? 64 : 0) |
          (frame[p + 7] ? 128 : 0)
      i += whole
    }
    for (; p < frame.length; p++, i++) if (frame[p]) out[i >> 3]! |= 1 << (i & 7)
  }
  return out
}

/** Frames of one byte per pixel back to back, padded to an even length. */
function concatEven(planes: readonly Uint8Array[]): Uint8Array {
  const n = planes.reduce((a, p) => a + p.length, 0)
  const out = new Uint8Array(n + (n % 2))
  let at = 0
  for (const p of planes) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Whether two segments claim (a non-zero value at) the same pixel of the same source frame. */
function overlaps(
  planes: readonly Uint8Array[],
  frames: readonly (Masked & { segment: number })[],
): boolean {
  const bySource = new Map<string, Uint8Array[]>()
  frames.forEach((f, i) => {
    const key = `${f.image.sopInstanceUid}#${f.image.frame}`
    bySource.set(key, [...(bySource.get(key) ?? []), planes[i]!])
  })
  for (const masks of bySource.values()) {
    if (masks.length < 2) continue
    const seen = new Uint8Array(masks[0]!.length)
    for (const m of masks)
      for (let i = 0; i < m.length; i++) {
        if (m[i] && seen[i]) return true
        if (m[i]) seen[i] = 1
      }
  }
  return false
}

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v) as Dataset | undefined

/**
 * Where frame `frame` of a source lies in patient space, when it has a frame of reference:
 * position, orientation and pixel measures from the top level (single-frame CT, MR) or from its
 * functional groups, per-frame first, then shared (enhanced multi-frame CT, MR).
 */
function frameGeometry(src: Dataset, frame: number) {
  if (!src.FrameOfReferenceUID) return undefined
  const group = (name: string) =>
    one(one((src.PerFrameFunctionalGroupsSequence as unknown[] | undefined)?.[frame])?.[name]) ??
    one(one(src.SharedFunctionalGroupsSequence)?.[name])
  const position = (src.ImagePositionPatient ??
    group('PlanePositionSequence')?.ImagePositionPatient) as unknown[] | undefined
  const orientation = (src.ImageOrientationPatient ??
    group('PlaneOrientationSequence')?.ImageOrientationPatient) as unknown[] | undefined
  const measures = src.PixelSpacing ? src : group('PixelMeasuresSequence')
  if (position?.length !== 3 || orientation?.length !== 6 || !measures?.PixelSpacing)
    return undefined
  const [r0, r1, r2, c0, c1, c2] = orientation.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const normal = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0]
  const p = position.map(Number)
  return {
    position: p,
    orientation: orientation.map(Number),
    /** Distance along the slice normal, for ordering. */
    along: p[0]! * normal[0]! + p[1]! * normal[1]! + p[2]! * normal[2]!,
    pixelMeasures: {
      PixelSpacing: measures.PixelSpacing,
      SliceThickness: measures.SliceThickness ?? '',
      ...(measures.SpacingBetweenSlices
        ? { SpacingBetweenSlices: measures.SpacingBetweenSlices }
        : {}),
    },
  }
}
