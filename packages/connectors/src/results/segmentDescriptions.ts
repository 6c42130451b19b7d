import type { AnalysisResult } from '@btt/compute'
import { type Code, code, DCM, fromCoding, localCode } from './codes.js'
import type { Masked } from './maskedFindings.js'
import type { Dataset } from './srItems.js'

/** CID 7150: what a finding's segment is when the manifest does not say. */
export const ABNORMAL_STRUCTURE = code('49755003', 'SCT', 'Morphologically abnormal structure')

/**
 * The Segment Sequence of a SEG: one segment per finding label, numbered from 1 in order of first
 * appearance, with the label, its segmented property category (the manifest's, else
 * {@link ABNORMAL_STRUCTURE}) and type (the finding's code, else a local `99BTT` one), algorithm
 * type AUTOMATIC and the model as its algorithm (family DCM 123110 "Artificial Intelligence").
 *
 * @returns the labels in segment order, and the segments.
 */
export function segmentDescriptions(
  result: AnalysisResult,
  group: readonly Masked[],
): { labels: string[]; segments: Dataset[] } {
  const algorithm = {
    AlgorithmFamilyCodeSequence: [DCM('123110', 'Artificial Intelligence')],
    AlgorithmName: result.model.name.slice(0, 64),
    AlgorithmVersion: result.model.version.slice(0, 64),
    AlgorithmParameters: `model ${result.model.id}; sha256 ${result.model.sha256}`,
  }
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
  return { labels, segments }
}
