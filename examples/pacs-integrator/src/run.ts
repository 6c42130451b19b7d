import { randomInt } from 'node:crypto'
import { orthancBinary, startOrthanc } from '@btt/testing'
import { pacsWalkthrough } from './pacs.js'
import { STUDY } from './study.js'
import { offlineWalkthrough } from './walkthrough.js'

/** Whether Debian's Orthanc is here (under CI=1 `orthancBinary` fails instead: this says no). */
function orthancInstalled(): boolean {
  try {
    return orthancBinary() !== undefined
  } catch {
    return false
  }
}

export type RunOptions = {
  /** A DICOMweb PACS to use; when omitted, Orthanc is started on loopback if it is installed. */
  dicomweb?: string
  /** `false`: never start Orthanc (the offline walkthrough only, unless `dicomweb` is given). */
  orthanc?: boolean
}

/**
 * The whole example: the PACS flow against `dicomweb`, or against an Orthanc started here on
 * loopback (random ports, a temporary folder, stopped after) when it is installed; then the
 * offline walkthrough (SR, SEG, overlay and the remote path through de-identification). Without
 * a PACS it says so and runs the offline part only.
 *
 * @returns the lines it prints.
 */
export async function runPacsIntegrator(dir: string, options: RunOptions = {}): Promise<string[]> {
  const lines: string[] = []
  // a fresh study UID per run, so a real PACS given with --dicomweb gets a new study each time
  const study = `${STUDY}.${Date.now()}${randomInt(1000)}`
  if (options.dicomweb) {
    lines.push(`— the PACS flow against ${options.dicomweb}`)
    lines.push(...(await pacsWalkthrough(dir, options.dicomweb, study)))
  } else if (options.orthanc !== false && orthancInstalled()) {
    const orthanc = await startOrthanc()
    try {
      lines.push(
        `— the PACS flow against Orthanc on loopback (started for this run, ${orthanc.http})`,
      )
      lines.push(...(await pacsWalkthrough(dir, orthanc.dicomweb, study)))
    } finally {
      await orthanc.stop()
    }
  } else {
    lines.push(
      '— no PACS: Orthanc is not installed (apt-get install orthanc orthanc-dicomweb) and no --dicomweb <url> was given; the PACS flow is skipped',
    )
  }
  lines.push('— the same analysis without a PACS: results as files, and the remote path')
  lines.push(...(await offlineWalkthrough(dir)))
  return lines
}
