import { expect, test } from 'vitest'
import { findingOf, imageOf, maskOf } from '../../test/resultFixture.js'
import type { Masked } from './maskedFindings.js'
import { dimensions, orderFrames, perFrameGroups } from './segmentFrames.js'

const m = (sop: string, label: string, frame = 0): Masked => {
  const mask = maskOf([1])
  return { image: imageOf(sop, [], { frame }), finding: { ...findingOf(label, mask), mask } }
}
const slice = (z: number) => ({
  FrameOfReferenceUID: '9',
  ImagePositionPatient: [0, 0, z],
  ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
  PixelSpacing: [1, 1],
})

test('frames in segment order; plane positions ranked along the normal', () => {
  const sources = new Map([
    ['1', slice(10)],
    ['2', slice(-5)],
  ])
  const group = [m('1', 'b'), m('2', 'a'), m('1', 'a')]
  const { frames, geometries } = orderFrames(group, ['a', 'b'], sources)
  expect(frames.map((f) => [f.image.sopInstanceUid, f.segment])).toEqual([
    ['2', 1],
    ['1', 1],
    ['1', 2],
  ])
  const groups = perFrameGroups(frames, sources, geometries)
  expect(
    groups.map(
      (g) =>
        (g.FrameContentSequence as { DimensionIndexValues: number[] }[])[0]!.DimensionIndexValues,
    ),
  ).toEqual([
    [1, 1],
    [1, 2],
    [2, 2],
  ])
  expect(groups.map((g) => JSON.stringify(g.PlanePositionSequence))).toEqual([
    '[{"ImagePositionPatient":[0,0,-5]}]',
    '[{"ImagePositionPatient":[0,0,10]}]',
    '[{"ImagePositionPatient":[0,0,10]}]',
  ])
})

test('projection images: no geometry, the segment is the only dimension; multi-frame sources get frame numbers', () => {
  const sources = new Map([
    ['1', { NumberOfFrames: 3 }],
    ['2', {}],
  ])
  const { frames, geometries } = orderFrames([m('1', 'a', 2), m('2', 'a')], ['a'], sources)
  expect(geometries).toBeUndefined()
  const groups = perFrameGroups(frames, sources, geometries)
  const source = (g: Record<string, unknown>) =>
    (g.DerivationImageSequence as { SourceImageSequence: Record<string, unknown>[] }[])[0]!
      .SourceImageSequence[0]!
  expect(groups.map((g) => source(g).ReferencedFrameNumber)).toEqual([3, undefined])
  expect(groups.every((g) => !('PlanePositionSequence' in g))).toBe(true)
  expect((dimensions(false).DimensionIndexSequence as unknown[]).length).toBe(1)
  expect((dimensions(true).DimensionIndexSequence as unknown[]).length).toBe(2)
})
