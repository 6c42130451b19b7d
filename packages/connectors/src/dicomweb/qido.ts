import { badResponse, parseJson } from './badResponse.js'
import type { DicomJson } from './dicomJson.js'
import type { Request } from './openExchange.js'

/** QIDO-RS query parameters. */
export type QidoQuery = Record<string, string | number | boolean>

/**
 * QIDO-RS: one search; the answer must be a JSON array (an empty body or 204 is no match).
 *
 * @param request - the client's request function.
 * @param path - e.g. `/studies`.
 * @param q - query parameters.
 * @returns the matches as DICOM JSON objects.
 * @example
 * ```ts
 * const studies = await createDicomwebClient({ url }).searchStudies({ PatientID: 'P1' })
 * ```
 */
export async function qido(
  request: Request,
  path: string,
  q: QidoQuery = {},
): Promise<DicomJson[]> {
  const s = new URLSearchParams(
    Object.entries(q).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString()
  const exchange = await request(`${path}${s ? `?${s}` : ''}`, {
    headers: { Accept: 'application/dicom+json' },
  })
  const text = await exchange.text()
  if (exchange.response.status === 204 || !text.trim()) return []
  const json = parseJson(text, exchange)
  if (!Array.isArray(json)) throw badResponse(exchange, 'a QIDO-RS answer is not a JSON array')
  return json as DicomJson[]
}
