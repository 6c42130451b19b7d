import type { AnalysisResult } from '@btt/compute'
import type { Code } from './codes.js'

/** A naturalized dataset or content item. */
export type Dataset = Record<string, unknown>
type Image = AnalysisResult['images'][number]

/** An SR content item: relationship, value type and concept name, then its value attributes. */
export const item = (
  RelationshipType: string,
  ValueType: string,
  concept: Code,
  value: Dataset,
): Dataset => ({
  RelationshipType,
  ValueType,
  ConceptNameCodeSequence: [concept],
  ...value,
})

export const text = (relationship: string, concept: Code, value: string) =>
  item(relationship, 'TEXT', concept, { TextValue: value })

export const coded = (relationship: string, concept: Code, value: Code) =>
  item(relationship, 'CODE', concept, { ConceptCodeSequence: [value] })

/**
 * A CONTAINER item. A container must have content (the Document Relationship Macro's Content
 * Sequence is Type 1C and may not be empty): callers leave out a container they have nothing for.
 */
export const container = (concept: Code, children: readonly Dataset[]) =>
  item('CONTAINS', 'CONTAINER', concept, {
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: children,
  })

/**
 * The instances of a result that are multi-frame: those analysed frame by frame (an analysis
 * reads every frame, so a multi-frame instance has an image with a frame other than the first).
 */
export function multiFrameInstances(images: readonly Image[]): Set<string> {
  return new Set(images.filter((i) => i.frame > 0).map((i) => i.sopInstanceUid))
}

/**
 * An IMAGE item (no concept name) referencing an analysed image, and its frame (numbered from 1)
 * when the instance is multi-frame.
 */
export const imageItem = (
  RelationshipType: string,
  i: Image,
  multiFrame: ReadonlySet<string>,
): Dataset => ({
  RelationshipType,
  ValueType: 'IMAGE',
  ReferencedSOPSequence: [
    {
      ReferencedSOPClassUID: i.sopClassUid,
      ReferencedSOPInstanceUID: i.sopInstanceUid,
      ...(multiFrame.has(i.sopInstanceUid) ? { ReferencedFrameNumber: i.frame + 1 } : {}),
    },
  ],
})
