import { expect, test } from 'vitest'
import { frameGeometry } from './frameGeometry.js'

const axial = [1, 0, 0, 0, 1, 0]

test('a single-frame slice: position, orientation, spacing from the top level; distance along the normal', () => {
  const g = frameGeometry(
    {
      FrameOfReferenceUID: '1.2',
      ImagePositionPatient: [-10, -20, 35],
      ImageOrientationPatient: axial,
      PixelSpacing: [0.5, 0.5],
      SliceThickness: 2,
    },
    0,
  )
  expect(g).toEqual({
    position: [-10, -20, 35],
    orientation: axial,
    along: 35,
    pixelMeasures: { PixelSpacing: [0.5, 0.5], SliceThickness: 2 },
  })
  // a sagittal slice: the normal is x
  const sagittal = frameGeometry(
    {
      FrameOfReferenceUID: '1.2',
      ImagePositionPatient: [7, 0, 0],
      ImageOrientationPatient: [0, 1, 0, 0, 0, -1],
      PixelSpacing: [1, 1],
    },
    0,
  )
  expect(sagittal?.along).toBe(-7)
})

test('an enhanced multi-frame source: per-frame position, shared orientation and measures', () => {
  const src = {
    FrameOfReferenceUID: '1.2',
    SharedFunctionalGroupsSequence: [
      {
        PixelMeasuresSequence: [{ PixelSpacing: [0.7, 0.7], SpacingBetweenSlices: 3 }],
        PlaneOrientationSequence: [{ ImageOrientationPatient: axial }],
      },
    ],
    PerFrameFunctionalGroupsSequence: [5, 0].map((z) => ({
      PlanePositionSequence: [{ ImagePositionPatient: [0, 0, z] }],
    })),
  }
  expect(frameGeometry(src, 1)).toEqual({
    position: [0, 0, 0],
    orientation: axial,
    along: 0,
    pixelMeasures: { PixelSpacing: [0.7, 0.7], SliceThickness: '', SpacingBetweenSlices: 3 },
  })
})

test('projection images and incomplete geometry have none', () => {
  expect(frameGeometry({ ImagePositionPatient: [0, 0, 0] }, 0)).toBeUndefined()
  expect(
    frameGeometry(
      { FrameOfReferenceUID: '1', ImageOrientationPatient: axial, PixelSpacing: [1, 1] },
      0,
    ),
  ).toBeUndefined()
  expect(
    frameGeometry(
      { FrameOfReferenceUID: '1', ImagePositionPatient: [0, 0, 0], ImageOrientationPatient: axial },
      0,
    ),
  ).toBeUndefined()
})
