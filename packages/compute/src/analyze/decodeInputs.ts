import { type DecodedImage, decodeDicom } from '../dicom/decodeDicom.js'
import { ComputeError, toComputeError } from '../errors.js'
import type { ModelManifest } from '../manifest/schema.js'
import { failureOf, type InputItem } from './collectInputs.js'
import type { AnalysisFailure } from './types.js'

/**
 * Decodes each item and checks that the model applies to it (modality, body part); an item that
 * fails is recorded in `failures` with its coded error and skipped.
 *
 * @returns the decoded images and the time spent, in ms.
 */
export async function decodeInputs(
  items: readonly InputItem[],
  manifest: ModelManifest,
  failures: AnalysisFailure[],
): Promise<{ images: DecodedImage[]; ms: number }> {
  const images: DecodedImage[] = []
  const t0 = performance.now()
  for (const item of items) {
    try {
      const bytes = typeof item.bytes === 'function' ? item.bytes() : item.bytes
      const image = await decodeDicom(bytes, item.name)
      checkApplies(image, manifest)
      images.push(image)
    } catch (error) {
      failures.push({
        file: item.name,
        error: failureOf(toComputeError(error, { file: item.name })),
      })
    }
  }
  return { images, ms: performance.now() - t0 }
}

/**
 * Refuses an image the model does not apply to.
 *
 * @throws {ComputeError} `COMPUTE_WRONG_MODALITY` naming the modality or body part.
 */
export function checkApplies(image: DecodedImage, manifest: ModelManifest): void {
  const bodyPart = image.bodyPart?.toUpperCase()
  const wrong = !manifest.modalities.includes(image.modality)
    ? { attribute: 'modality', value: image.modality || '(none)', expected: manifest.modalities }
    : manifest.bodyParts && bodyPart && !manifest.bodyParts.includes(bodyPart)
      ? { attribute: 'body part', value: image.bodyPart!, expected: manifest.bodyParts }
      : undefined
  if (wrong)
    throw new ComputeError(
      'COMPUTE_WRONG_MODALITY',
      `${image.file}: ${wrong.attribute} "${wrong.value}" is not one this model applies to (${wrong.expected.join(', ')}).`,
      { details: { file: image.file, ...wrong } },
    )
}
