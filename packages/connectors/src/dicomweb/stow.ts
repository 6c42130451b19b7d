import { randomUUID } from 'node:crypto'
import { badResponse, parseJson } from './badResponse.js'
import { type DicomJson, jsonValue } from './dicomJson.js'
import { multipartBody } from './multipart.js'
import type { Request } from './openExchange.js'

export type StoreResult = {
  /** SOP Instance UIDs the server accepted. */
  stored: string[]
  /** SOP Instance UIDs the server refused, with its failure reason code. */
  failed: { sopInstanceUid: string; reason: number | undefined }[]
}

/**
 * STOW-RS: stores instances (Part 10 bytes), streamed into one multipart request. Returns what
 * the server stored and refused; throws when the request itself fails or the answer is not JSON.
 *
 * @param request - the client's request function.
 * @param instances - Part 10 bytes, produced lazily.
 * @param study - the study to store into (optional).
 * @returns the SOP Instance UIDs stored and refused.
 * @example
 * ```ts
 * const { stored } = await createDicomwebClient({ url }).store([bytes])
 * ```
 */
export async function stow(
  request: Request,
  instances: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  study?: string,
): Promise<StoreResult> {
  const boundary = `btt-${randomUUID()}`
  const exchange = await request(study ? `/studies/${study}` : '/studies', {
    method: 'POST',
    headers: {
      'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      Accept: 'application/dicom+json',
    },
    body: multipartBody(instances, boundary),
    duplex: 'half',
  })
  const text = await exchange.text()
  const json = (text.trim() ? parseJson(text, exchange) : {}) as DicomJson
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw badResponse(exchange, 'a STOW-RS answer is not a JSON object')
  const items = (tag: string) => (json[tag]?.Value ?? []) as DicomJson[]
  return {
    stored: items('00081199').map((i) => String(jsonValue(i, '00081155'))),
    failed: items('00081198').map((i) => ({
      sopInstanceUid: String(jsonValue(i, '00081155')),
      reason: jsonValue(i, '00081197') as number | undefined,
    })),
  }
}
