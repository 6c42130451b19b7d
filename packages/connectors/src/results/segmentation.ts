import type { AnalysisResult } from '@btt/compute'
import { codingSchemes } from './codes.js'
import type { FrameGeometry } from './frameGeometry.js'
import type { Masked } from './maskedFindings.js'
import {
  dateTime,
  patientAndStudy,
  type ResultObjectOptions,
  resultUids,
  writePart10,
} from './part10.js'
import { segmentDescriptions } from './segmentDescriptions.js'
import { dimensions, orderFrames, perFrameGroups, type SegmentFrame } from './segmentFrames.js'
import { concatEven, packBits, segmentPlanes, segmentsOverlap } from './segmentPixels.js'
import type { Dataset } from './srItems.js'

const SEGMENTATION = '1.2.840.10008.5.1.4.1.1.66.4'

export type SegmentationWriteOptions = ResultObjectOptions & {
  seriesNumber?: number
  type?: 'BINARY' | 'FRACTIONAL'
}

/**
 * One Segmentation IOD for one group of masks (a source series and image size): segments, frames
 * in segment order, pixel data, and the modules around them. Sources are the groups' images'
 * attributes by SOP Instance UID.
 */
export function segmentation(
  result: AnalysisResult,
  group: readonly Masked[],
  sources: ReadonlyMap<string, Dataset>,
  options: SegmentationWriteOptions,
): Uint8Array {
  const { rows, columns, seriesInstanceUid } = group[0]!.image
  const first = sources.get(group[0]!.image.sopInstanceUid)!
  const uids = resultUids(
    options.idempotencyKey &&
      `${options.idempotencyKey}|seg|${seriesInstanceUid}|${rows}x${columns}`,
  )
  const { labels, segments } = segmentDescriptions(result, group)
  const { frames, geometries } = orderFrames(group, labels, sources)
  const fractional = options.type === 'FRACTIONAL'
  const planes = segmentPlanes(frames, fractional)
  const dataset: Dataset = {
    ...patientAndStudy(first),
    ...seriesAndEquipment(result, first, geometries?.[0], options, uids.series),
    ...segmentationImage(result, first, geometries?.[0], options),
    SegmentsOverlap: segmentsOverlap(planes, frames) ? 'YES' : 'NO',
    SegmentSequence: segments,
    // Image Pixel
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
    SharedFunctionalGroupsSequence: [sharedGroups(geometries?.[0])],
    PerFrameFunctionalGroupsSequence: perFrameGroups(frames, sources, geometries),
    ...dimensions(geometries !== undefined),
    ReferencedSeriesSequence: commonInstanceReference(frames, seriesInstanceUid),
    SOPClassUID: SEGMENTATION,
    SOPInstanceUID: uids.instance,
    PixelData: [(fractional ? concatEven(planes) : packBits(planes)).buffer],
    _vrMap: { PixelData: 'OB' },
  }
  return writePart10({ ...dataset, ...codingSchemes(dataset) })
}

/** General Series, Segmentation Series, Frame of Reference (cross-sectional) and equipment. */
function seriesAndEquipment(
  result: AnalysisResult,
  first: Dataset,
  geometry: FrameGeometry | undefined,
  options: SegmentationWriteOptions,
  seriesUid: string,
): Dataset {
  return {
    Modality: 'SEG',
    SeriesInstanceUID: seriesUid,
    SeriesNumber: options.seriesNumber ?? 902,
    SeriesDescription: `AI segmentation: ${result.model.name}`.slice(0, 64),
    ...(first.Laterality ? { Laterality: first.Laterality } : {}),
    ...(geometry
      ? {
          FrameOfReferenceUID: first.FrameOfReferenceUID,
          PositionReferenceIndicator: first.PositionReferenceIndicator ?? '',
        }
      : {}),
    Manufacturer: options.manufacturer ?? 'BTT',
    ManufacturerModelName: result.model.id.slice(0, 64),
    DeviceSerialNumber: result.model.sha256.slice(0, 16),
    SoftwareVersions: result.model.version.slice(0, 64),
  }
}

/** General Image and Segmentation Image (content identification, type). */
function segmentationImage(
  result: AnalysisResult,
  first: Dataset,
  geometry: FrameGeometry | undefined,
  options: SegmentationWriteOptions,
): Dataset {
  const { date, time } = dateTime(options.at ?? new Date())
  const fractional = options.type === 'FRACTIONAL'
  return {
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
  }
}

/** Shared functional groups: pixel measures and orientation when there is a geometry. */
function sharedGroups(geometry: FrameGeometry | undefined): Dataset {
  return geometry
    ? {
        PixelMeasuresSequence: [geometry.pixelMeasures],
        PlaneOrientationSequence: [{ ImageOrientationPatient: geometry.orientation }],
      }
    : {}
}

/** Common Instance Reference: the images the frames derive from. */
function commonInstanceReference(frames: readonly SegmentFrame[], seriesUid: string): Dataset[] {
  const images = [...new Map(frames.map((f) => [f.image.sopInstanceUid, f.image])).values()]
  return [
    {
      SeriesInstanceUID: seriesUid,
      ReferencedInstanceSequence: images.map((i) => ({
        ReferencedSOPClassUID: i.sopClassUid,
        ReferencedSOPInstanceUID: i.sopInstanceUid,
      })),
    },
  ]
}
