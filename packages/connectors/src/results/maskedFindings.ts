import type { AnalysisResult, Finding, ImageResult, Mask } from '@btt/compute'

/** A present finding with its mask, and the image (frame) it was found in. */
export type Masked = { image: ImageResult; finding: Finding & { mask: Mask } }

/**
 * Every present finding that has a mask, grouped by source series and image size (one SEG each),
 * in the result's order. Empty when nothing present has a mask (a negative result, or a model
 * without a mask output).
 */
export function maskedFindings(result: AnalysisResult): Masked[][] {
  const groups = new Map<string, Masked[]>()
  for (const image of result.images)
    for (const finding of image.findings) {
      if (!finding.present || !finding.mask) continue
      const key = `${image.seriesInstanceUid}|${image.rows}x${image.columns}`
      groups.set(key, [
        ...(groups.get(key) ?? []),
        { image, finding: finding as Masked['finding'] },
      ])
    }
  return [...groups.values()]
}
