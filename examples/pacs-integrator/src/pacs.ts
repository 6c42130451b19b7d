import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { naturalize } from '@btt/compute'
import { createDicomwebClient, jsonValue, openJobStore, watchPacs } from '@btt/connectors'
import { defaultConfig, formatUnits } from '@btt/core'
import { PATIENT, writeStudy } from './study.js'

/** DICOM SOP classes the flow stores back, by UID. */
const SOP_CLASSES: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.88.22': 'Enhanced SR',
  '1.2.840.10008.5.1.4.1.1.88.33': 'Comprehensive SR',
  '1.2.840.10008.5.1.4.1.1.66.4': 'Segmentation',
  '1.2.840.10008.5.1.4.1.1.1.1': 'DX',
}

/**
 * The PACS integrator's flow against a DICOMweb PACS (`dicomweb`, e.g. Orthanc's
 * `http://127.0.0.1:8042/dicom-web`): a modality's study arrives in the PACS (here stored by
 * STOW-RS); `watchPacs` finds it by QIDO-RS, retrieves it by WADO-RS, analyses it on this machine
 * and stores a TID 1500 SR (and a SEG outline) back by STOW-RS, recording and pricing the job in a
 * job store; a second pass finds nothing new, so a study is never analysed or charged twice. The
 * results are then read back from the PACS as a viewer would.
 *
 * @param dir - a folder; the study and the job store go into `dir/pacs`.
 * @param dicomweb - the PACS's DICOMweb root.
 * @param study - the Study Instance UID to use (a fresh one each run keeps a real PACS tidy).
 * @returns the lines it prints.
 */
export async function pacsWalkthrough(
  dir: string,
  dicomweb: string,
  study: string,
): Promise<string[]> {
  const out: string[] = []
  const say = (line = '') => out.push(line)
  const pacs = createDicomwebClient({ url: dicomweb, timeoutSeconds: 30 })

  // 1. a modality's study arrives in the PACS
  const files = writeStudy(join(dir, 'pacs'), study)
  const stored = await pacs.store(files.map((f) => new Uint8Array(readFileSync(f))))
  say(
    `1. PACS ${dicomweb}: study ${study} of patient ${PATIENT} stored (${stored.stored.length} DX images, STOW-RS)`,
  )

  // 2. the watcher: QIDO-RS for new studies, WADO-RS, analysis, STOW-RS of the results
  const jobs = openJobStore(join(dir, 'pacs', 'jobs.sqlite'))
  try {
    const watcher = watchPacs({ pacs, jobs, query: { StudyInstanceUID: study } })
    watcher.onStudyComplete((e) =>
      say(`2. new study ${e.studyInstanceUid}: ${e.instances} instances retrieved (WADO-RS)`),
    )
    watcher.onResult((e) => {
      const charge = e.charge
        ? `${formatUnits(e.charge.total, defaultConfig.computePricing.minorDecimals, { trim: false })} ${e.charge.currency}`
        : 'none'
      say(
        `   analysed: ${e.findings} finding(s); stored back SR ${e.srSopInstanceUid} and ${e.segSopInstanceUids.length} SEG; charge ${charge}`,
      )
      for (const w of e.warnings) say(`   ! ${w}`)
    })
    watcher.onFailure((e) => say(`   ✖ study ${e.studyInstanceUid}: ${e.error.message}`))
    const first = await watcher.pollOnce()
    const second = await watcher.pollOnce()
    say(`3. first pass analysed ${first} study; second pass ${second} (already analysed)`)
  } finally {
    jobs.close()
  }

  // 4. the PACS now holds the results, as a viewer finds them
  const instances = await pacs.searchInstances(study)
  const byClass = new Map<string, string[]>()
  for (const i of instances) {
    const sopClass = String(jsonValue(i, '00080016') ?? '')
    const name = SOP_CLASSES[sopClass] ?? sopClass
    byClass.set(name, [...(byClass.get(name) ?? []), String(jsonValue(i, '00080018'))])
  }
  say(
    `4. the PACS holds for study ${study}: ${[...byClass].map(([k, v]) => `${v.length} ${k}`).join(', ')}`,
  )
  const sr = instances.find((i) => /\.88\./.test(String(jsonValue(i, '00080016'))))
  if (sr) {
    const bytes = await pacs.retrieveInstance(
      study,
      String(jsonValue(sr, '0020000E')),
      String(jsonValue(sr, '00080018')),
    )
    const ds = naturalize(bytes, 'SR')
    const text = Buffer.from(bytes).toString('latin1')
    say(
      `   SR (WADO-RS, ${bytes.length} bytes): "${String(ds.SeriesDescription ?? '')}", patient ${String(ds.PatientID)}, refers to ${files.length} images: ${files.every((_, i) => text.includes(`${study}.1.${i + 1}`))}`,
    )
  }
  return out
}
