import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { type DeidentifyResult, deidentify, type PseudonymVault } from '@btt/connectors'
import { defaultConfig, quoteCompute } from '@btt/core'

export const PATIENT = { name: 'Wang^Fang', id: 'MRN-20931' }
export const STUDY = '1.2.826.0.1.3680043.10.1398.950'

export type Study = { files: string[]; bytes: Uint8Array[] }

/** Step 1: a two-image chest study as the modality sends it (one image with a round opacity). */
export function makeStudy(dir: string): Study {
  mkdirSync(dir, { recursive: true })
  const bytes = [true, false].map((opacity, i) =>
    writeDicom({
      frames: [
        syntheticChest({
          seed: 950 + i,
          nodules: opacity ? [{ x: 300, y: 220, radius: 14, contrast: 650 }] : [],
        }),
      ],
      rows: 512,
      columns: 512,
      modality: 'DX',
      bodyPart: 'CHEST',
      studyInstanceUid: STUDY,
      seriesInstanceUid: `${STUDY}.1`,
      sopInstanceUid: `${STUDY}.1.${i + 1}`,
      patientName: PATIENT.name,
      patientId: PATIENT.id,
    }),
  )
  const files = bytes.map((b, i) => {
    const file = join(dir, `image-${i + 1}.dcm`)
    writeFileSync(file, b)
    return file
  })
  return { files, bytes }
}

/** Step 2: what leaves the clinic — PS3.15 de-identified, the pseudonyms kept in the vault. */
export function deidentifyStudy(
  study: Study,
  dir: string,
  vault: PseudonymVault,
): { files: string[]; results: DeidentifyResult[]; leaks: string[] } {
  mkdirSync(dir, { recursive: true })
  const results = study.bytes.map((b) => deidentify(b, { vault }))
  const files = results.map((r, i) => {
    const file = join(dir, `image-${i + 1}.dcm`)
    writeFileSync(file, r.bytes)
    return file
  })
  const text = Buffer.concat(results.map((r) => Buffer.from(r.bytes))).toString('latin1')
  const leaks = [PATIENT.id, 'Wang', STUDY].filter((s) => text.includes(s))
  return { files, results, leaks }
}

/** Step 3: the price of the job before it is sent (the coordinator bills the same schedule). */
export function quoteJob(frames: number, inputBytes: number, secondsPerFrame: number) {
  return quoteCompute(defaultConfig.computePricing, {
    gpuSeconds: frames * secondsPerFrame,
    dataBytes: BigInt(inputBytes),
    urgency: 'routine',
  })
}
