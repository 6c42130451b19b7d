import { type DecodedImage, decodeDicom } from '../dicom/decodeDicom.js'
import { ComputeError, toComputeError } from '../errors.js'
import type { ModelManifest } from '../manifest/schema.js'
import { failureOf, type InputItem } from './collectInputs.js'
import type { FrameRef } from './prepareBatch.js'
import type { AnalysisFailure } from './types.js'

/** What decoding has seen so far: time spent, and the studies of the images decoded. */
export type DecodeStats = { ms: number; studyInstanceUids: Set<string> }

/**
 * Decodes the items one by one, on demand, and yields their frames: each image is checked against
 * the model (modality, body part) first; an item that fails is recorded in `failures` with its
 * coded error and skipped. Files are read ahead on libuv's threads, and only the frames of the
 * batches in flight are held, whatever the size of the study.
 *
 * @param stats - updated as images are decoded (time excludes the time spent between yields).
 */
export async function* decodeFrames(
  items: readonly InputItem[],
  manifest: ModelManifest,
  failures: AnalysisFailure[],
  stats: DecodeStats,
): AsyncGenerator<FrameRef> {
  // the next file is read (on libuv's threads) while this one is decoded or inferred on
  let next = items.length ? load(items[0]!) : undefined
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!
    const bytes = next!
    next = k + 1 < items.length ? load(items[k + 1]!) : undefined
    const t0 = performance.now()
    let image: DecodedImage
    try {
      image = await decodeDicom(await bytes, item.name)
      checkApplies(image, manifest)
    } catch (error) {
      failures.push({
        file: item.name,
        error: failureOf(toComputeError(error, { file: item.name })),
      })
      continue
    } finally {
      stats.ms += performance.now() - t0
    }
    stats.studyInstanceUids.add(image.studyInstanceUid)
    for (let frame = 0; frame < image.frames.length; frame++) yield { image, frame }
  }
}

/**
 * Decodes every item at once (see {@link decodeFrames}).
 *
 * @returns the decoded images and the time spent, in ms.
 */
export async function decodeInputs(
  items: readonly InputItem[],
  manifest: ModelManifest,
  failures: AnalysisFailure[],
): Promise<{ images: DecodedImage[]; ms: number }> {
  const stats: DecodeStats = { ms: 0, studyInstanceUids: new Set() }
  const images: DecodedImage[] = []
  for await (const { image, frame } of decodeFrames(items, manifest, failures, stats))
    if (frame === 0) images.push(image)
  return { images, ms: stats.ms }
}

/** An item's bytes as a promise that never rejects synchronously (its failure is the decode's). */
function load(item: InputItem): Promise<Uint8Array> {
  if (typeof item.bytes !== 'function') return Promise.resolve(item.bytes)
  try {
    const bytes = item.bytes()
    // a rejection is handled when the bytes are awaited; mark it handled until then
    if (bytes instanceof Promise) bytes.catch(() => {})
    return Promise.resolve(bytes)
  } catch (error) {
    const failed = Promise.reject(error)
    failed.catch(() => {})
    return failed
  }
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
