import { type DicomwebClient, jsonValue } from '../dicomweb/createDicomwebClient.js'
import type { JobStore } from './jobStore.js'
import { instancesKey, isResultClass } from './studyInstances.js'

/**
 * The studies on the PACS with images not yet analysed, found by QIDO-RS without retrieving
 * anything: each study's instances are listed (less the SRs and SEGs stored back) and a study
 * whose instance set is already done is skipped.
 *
 * @param pacs - the DICOMweb client.
 * @param jobs - the job store.
 * @param query - QIDO query narrowing the studies.
 * @returns the Study Instance UIDs to retrieve, one at a time.
 * @example
 * ```ts
 * for await (const study of findNewStudies(pacs, jobs)) console.log(study)
 * ```
 */
export async function* findNewStudies(
  pacs: Pick<DicomwebClient, 'searchStudies' | 'searchInstances'>,
  jobs: Pick<JobStore, 'done'>,
  query?: Record<string, string>,
): AsyncGenerator<string> {
  for (const s of await pacs.searchStudies(query)) {
    const study = String(jsonValue(s, '0020000D'))
    const listed = (await pacs.searchInstances(study)).filter(
      (i) =>
        !isResultClass(String(jsonValue(i, '00080016') ?? '')) &&
        !['SR', 'SEG'].includes(String(jsonValue(i, '00080060'))),
    )
    if (!listed.length) continue
    if (jobs.done(study, instancesKey(listed.map((i) => String(jsonValue(i, '00080018'))))))
      continue
    yield study
  }
}
