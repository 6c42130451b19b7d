import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { syntheticChest, writeDicom } from '@btt/compute/testing'

/** The study a modality would send: patient, study and series as a PACS has them. */
export const STUDY = '1.2.826.0.1.3680043.10.1398.900'
export const PATIENT = 'MRN-20931'

/**
 * Writes a synthetic two-image chest study into `dir/study` (image 1 with a round opacity,
 * image 2 without) and returns the files' paths.
 */
export function writeStudy(dir: string, study = STUDY): string[] {
  mkdirSync(join(dir, 'study'), { recursive: true })
  return [true, false].map((opacity, i) => {
    const file = join(dir, 'study', `image-${i + 1}.dcm`)
    writeFileSync(
      file,
      writeDicom({
        frames: [
          syntheticChest({
            seed: 900 + i,
            nodules: opacity ? [{ x: 300, y: 220, radius: 12, contrast: 650 }] : [],
          }),
        ],
        rows: 512,
        columns: 512,
        studyInstanceUid: study,
        seriesInstanceUid: `${study}.1`,
        sopInstanceUid: `${study}.1.${i + 1}`,
        patientName: 'Wang^Fang',
        patientId: PATIENT,
      }),
    )
    return file
  })
}
