import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { analyze } from '@btt/compute'
import {
  createMeasurementReport,
  createOverlayImage,
  createSegmentations,
  deidentify,
  openVault,
  reidentify,
} from '@btt/connectors'
import { STUDY, writeStudy } from './study.js'

/**
 * The PACS integrator's walkthrough without a PACS, in a folder: a synthetic two-image chest study (one with a round
 * opacity) is analysed with the demonstration model on this machine; the findings go out as the
 * DICOM a PACS takes back (TID 1500 SR, a SEG outline, a Secondary Capture for viewers without SR);
 * then the same study takes the remote path — de-identified before it would leave, analysed, and
 * the SR re-identified so it points at the original images again.
 *
 * @param root - a folder; the study, results and pseudonym vault go into `root/offline`.
 * @returns the lines it prints.
 */
export async function offlineWalkthrough(root: string): Promise<string[]> {
  const dir = join(root, 'offline')
  const out: string[] = []
  const say = (line = '') => out.push(line)
  mkdirSync(join(dir, 'results'), { recursive: true })

  // 1. the study a modality would send
  const files = writeStudy(dir)
  const sources = files.map((f) => new Uint8Array(readFileSync(f)))
  say(`1. study ${STUDY}: ${files.length} DX images of patient MRN-20931 in ${join(dir, 'study')}`)

  // 2. analyse on this machine
  const result = await analyze(files)
  say(`2. ${result.model.name} ${result.model.version} on ${result.backend.name}`)
  for (const image of result.images)
    for (const f of image.findings)
      say(
        `   ${image.sopInstanceUid}: ${f.label} ${(f.probability * 100).toFixed(1)}% ${f.present ? `present, box ${f.box?.width}×${f.box?.height} px, outline ${f.mask?.area ?? 0} px` : 'absent'}`,
      )

  // 3. the results as DICOM, ready to store back (STOW-RS or C-STORE)
  const sr = createMeasurementReport(result, { sources })
  const segs = createSegmentations(result, { sources })
  const withFinding = result.images.find((i) => i.findings.some((f) => f.present))
  writeFileSync(join(dir, 'results', 'report.sr.dcm'), sr)
  for (const [i, seg] of segs.entries())
    writeFileSync(join(dir, 'results', `outline-${i + 1}.seg.dcm`), seg)
  if (withFinding)
    writeFileSync(
      join(dir, 'results', 'overlay.sc.dcm'),
      await createOverlayImage(withFinding, sources[result.images.indexOf(withFinding)]!),
    )
  say(
    `3. wrote a TID 1500 SR (${sr.length} bytes), ${segs.length} SEG and ${withFinding ? 1 : 0} overlay to ${join(dir, 'results')}`,
  )

  // 4. the remote path: nothing identifying leaves; results come back re-identified
  const vault = openVault(join(dir, 'vault.sqlite'))
  try {
    const leaving = sources.map((bytes) => deidentify(bytes, { vault }))
    const text = Buffer.concat(leaving.map((d) => Buffer.from(d.bytes))).toString('latin1')
    say(
      `4. de-identified for remote compute: patient pseudonym ${leaving[0]!.patient.pseudonym ?? '(none)'}; the original MRN, name or study UID in what leaves: ${['MRN-20931', 'Wang', STUDY].some((s) => text.includes(s)) ? 'YES (bug)' : 'none'}`,
    )
    const remote = await analyze(leaving.map((d, i) => ({ name: `remote-${i}`, bytes: d.bytes })))
    const back = reidentify(
      createMeasurementReport(remote, { sources: leaving.map((d) => d.bytes) }),
      { vault },
    )
    writeFileSync(join(dir, 'results', 'remote-report.sr.dcm'), back.bytes)
    const restored = Buffer.from(back.bytes).toString('latin1')
    say(
      `   remote SR re-identified (${back.restored} values restored): refers to ${STUDY}.1.1 again: ${restored.includes(`${STUDY}.1.1`)}; patient MRN-20931: ${restored.includes('MRN-20931')}`,
    )
  } finally {
    vault.close()
  }
  return out
}
