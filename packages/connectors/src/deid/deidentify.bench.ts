/// <reference path="../types/dcmjs.d.ts" />
import { writeDicom } from '@btt/compute/testing'
import dcmjs from 'dcmjs'
import { afterAll, bench, describe } from 'vitest'
import { deidentify } from './deidentify.js'

// 64 generated 512×512 16-bit CT instances of one study (~512 KiB each), de-identified in turn.
const study = '1.2.826.0.1.3680043.10.1398.555'
const files = Array.from({ length: 64 }, (_, i) =>
  writeDicom({
    frames: [Int16Array.from({ length: 512 * 512 }, (_, p) => ((p * 7 + i) % 2000) - 1000)],
    rows: 512,
    columns: 512,
    modality: 'CT',
    signed: true,
    rescaleIntercept: -1024,
    studyInstanceUid: study,
    seriesInstanceUid: `${study}.1`,
    sopInstanceUid: `${study}.1.${i + 1}`,
    patientName: 'Wang^Fang',
    patientId: 'MRN-1',
    extra: { InstitutionName: 'Hospital', StudyDate: '20260301', ReferringPhysicianName: 'Dr^X' },
  }),
)
const key = new TextEncoder().encode('bench key')
const megabytes = files.reduce((s, f) => s + f.length, 0) / 2 ** 20
let n = 0
let ms = 0

describe(`de-identify 512×512 CT instances (${files.length} files, ${megabytes.toFixed(1)} MiB per pass)`, () => {
  bench(
    'deidentify (Basic Profile, keyed UIDs, pseudonyms)',
    () => {
      const t0 = performance.now()
      for (const f of files) deidentify(f, { key })
      ms += performance.now() - t0
      n += files.length
    },
    { time: 4000 },
  )

  bench(
    'baseline: dcmjs read + write only (no de-identification)',
    () => {
      for (const f of files)
        dcmjs.data.DicomMessage.readFile(
          f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength) as ArrayBuffer,
        ).write()
    },
    { time: 4000 },
  )
})

afterAll(() => {
  const perSecond = n / (ms / 1000)
  console.log(
    `deidentify: ${perSecond.toFixed(0)} files/s, ${((perSecond * megabytes) / files.length).toFixed(0)} MiB/s on one thread`,
  )
})
