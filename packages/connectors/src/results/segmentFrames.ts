import { DCM } from './codes.js'
import { type FrameGeometry, frameGeometry } from './frameGeometry.js'
import type { Masked } from './maskedFindings.js'
import { newUid } from './part10.js'
import type { Dataset } from './srItems.js'

/** (0062,000B) Referenced Segment Number in (0062,000A) Segment Identification Sequence. */
const REFERENCED_SEGMENT_NUMBER = 0x0062_000b
const SEGMENT_IDENTIFICATION_SEQUENCE = 0x0062_000a
/** (0020,0032) Image Position (Patient) in (0020,9113) Plane Position Sequence. */
const IMAGE_POSITION_PATIENT = 0x0020_0032
const PLANE_POSITION_SEQUENCE = 0x0020_9113

export type SegmentFrame = Masked & { segment: number }

const sourceKey = (f: Masked) => `${f.image.sopInstanceUid}#${f.image.frame}`

/**
 * A SEG's frames: ordered by segment (then as found), each with its source's patient-space
 * geometry. The geometry is kept only when every frame has one (cross-sectional sources).
 */
export function orderFrames(
  group: readonly Masked[],
  labels: readonly string[],
  sources: ReadonlyMap<string, Dataset>,
): { frames: SegmentFrame[]; geometries: FrameGeometry[] | undefined } {
  const frames = labels.flatMap((label, i) =>
    group.filter((m) => m.finding.label === label).map((m) => ({ ...m, segment: i + 1 })),
  )
  const geometries = frames.map((f) =>
    frameGeometry(sources.get(f.image.sopInstanceUid)!, f.image.frame),
  )
  return {
    frames,
    geometries: geometries.every(Boolean) ? (geometries as FrameGeometry[]) : undefined,
  }
}

/** Multi-frame Dimension module: by segment, and by position when there is a geometry. */
export function dimensions(withPosition: boolean): Dataset {
  const organization = newUid()
  const index = (pointer: number, group: number, label: string) => ({
    DimensionOrganizationUID: organization,
    DimensionIndexPointer: pointer,
    FunctionalGroupPointer: group,
    DimensionDescriptionLabel: label,
  })
  return {
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: organization }],
    DimensionIndexSequence: [
      index(REFERENCED_SEGMENT_NUMBER, SEGMENT_IDENTIFICATION_SEQUENCE, 'Segment Number'),
      ...(withPosition
        ? [index(IMAGE_POSITION_PATIENT, PLANE_POSITION_SEQUENCE, 'Image Position (Patient)')]
        : []),
    ],
  }
}

/** The rank (from 1) of each source frame along the slice normal: the second dimension index. */
export function positionIndex(
  frames: readonly SegmentFrame[],
  geometries: readonly FrameGeometry[],
): Map<string, number> {
  const along = new Map(frames.map((f, i) => [sourceKey(f), geometries[i]!.along]))
  const order = [...along.keys()].sort((a, b) => along.get(a)! - along.get(b)!)
  return new Map(order.map((key, i) => [key, i + 1]))
}

/**
 * Per-frame functional groups: the Derivation Image group pointing at the source image (and its
 * frame, for multi-frame sources), the dimension index values, the plane position when there is a
 * geometry, and the segment.
 */
export function perFrameGroups(
  frames: readonly SegmentFrame[],
  sources: ReadonlyMap<string, Dataset>,
  geometries: readonly FrameGeometry[] | undefined,
): Dataset[] {
  const rank = geometries ? positionIndex(frames, geometries) : undefined
  return frames.map((f, i) => {
    const { image, segment } = f
    const multiFrame = Number(sources.get(image.sopInstanceUid)!.NumberOfFrames ?? 1) > 1
    const source = {
      ReferencedSOPClassUID: image.sopClassUid,
      ReferencedSOPInstanceUID: image.sopInstanceUid,
      ...(multiFrame ? { ReferencedFrameNumber: image.frame + 1 } : {}),
      PurposeOfReferenceCodeSequence: [
        DCM('121322', 'Source image for image processing operation'),
      ],
    }
    return {
      DerivationImageSequence: [
        {
          DerivationCodeSequence: [DCM('113076', 'Segmentation')],
          SourceImageSequence: [source],
        },
      ],
      FrameContentSequence: [
        { DimensionIndexValues: rank ? [segment, rank.get(sourceKey(f))!] : [segment] },
      ],
      ...(geometries
        ? { PlanePositionSequence: [{ ImagePositionPatient: geometries[i]!.position }] }
        : {}),
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: segment }],
    }
  })
}
