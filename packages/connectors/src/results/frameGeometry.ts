import type { Dataset } from './srItems.js'

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v) as Dataset | undefined

export type FrameGeometry = {
  position: number[]
  orientation: number[]
  /** Distance along the slice normal, for ordering. */
  along: number
  pixelMeasures: Dataset
}

/**
 * Where frame `frame` of a source lies in patient space, when it has a frame of reference:
 * position, orientation and pixel measures from the top level (single-frame CT, MR) or from its
 * functional groups, per-frame first, then shared (enhanced multi-frame CT, MR). Undefined for
 * projection images (no frame of reference) or when any of the three is missing.
 */
export function frameGeometry(src: Dataset, frame: number): FrameGeometry | undefined {
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
