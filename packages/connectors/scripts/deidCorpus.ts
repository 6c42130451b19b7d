/// <reference path="../src/types/dcmjs.d.ts" />
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeDicom } from '@btt/compute/testing'
import dcmjs from 'dcmjs'

export type CorpusFile = { name: string; modality: string; implicit: boolean; private: boolean }

/**
 * Writes the de-identification bench corpus: `count` generated instances in studies of 20, CT
 * (512×512), MR (256×256) and DX (768×768), 16-bit; every 4th in implicit VR little endian, every
 * 3rd with a private block (creator and two elements). Identifying attributes as a scanner writes
 * them (names, dates, times, UIDs, institution, nested references). Reuses the folder when it
 * already holds `count` files. `scale` divides the image sizes (tests use small images).
 */
export function deidCorpus(dir: string, count = 521, { scale = 1 } = {}): CorpusFile[] {
  const files: CorpusFile[] = []
  mkdirSync(dir, { recursive: true })
  const existing = readdirSync(dir).filter((n) => n.endsWith('.dcm')).length
  for (let i = 0; i < count; i++) {
    const kind = i % 10 < 4 ? 'CT' : i % 10 < 8 ? 'MR' : 'DX'
    const file: CorpusFile = {
      name: `${String(i).padStart(4, '0')}-${kind}.dcm`,
      modality: kind,
      implicit: i % 4 === 3,
      private: i % 3 === 0,
    }
    files.push(file)
    if (existing === count) continue
    writeFileSync(join(dir, file.name), instance(i, file, scale))
  }
  return files
}

function instance(i: number, f: CorpusFile, scale: number): Uint8Array {
  const size = (f.modality === 'CT' ? 512 : f.modality === 'MR' ? 256 : 768) / scale
  const pixels = new Int16Array(size * size)
  for (let p = 0; p < pixels.length; p++) pixels[p] = ((p * 7 + i) % 2000) - 1000
  const study = `1.2.826.0.1.3680043.10.1398.777.${Math.floor(i / 20)}`
  const bytes = writeDicom({
    frames: [pixels],
    rows: size,
    columns: size,
    modality: f.modality,
    signed: true,
    studyInstanceUid: study,
    seriesInstanceUid: `${study}.1`,
    sopInstanceUid: `${study}.1.${i}`,
    patientName: `Patient${Math.floor(i / 20)}^Given`,
    patientId: `MRN-${Math.floor(i / 20)}`,
    extra: {
      InstitutionName: 'General Hospital',
      ReferringPhysicianName: 'Dr^Who',
      StationName: 'SCANNER-1',
      InstanceCreationDate: '20260301',
      InstanceCreationTime: '101500',
      SeriesDate: '20260301',
      AcquisitionDateTime: '20260301101500',
      FrameOfReferenceUID: `${study}.2`,
      ReferencedImageSequence: [
        {
          ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
          ReferencedSOPInstanceUID: `${study}.1.${i + 1}`,
        },
      ],
    },
  })
  if (!f.implicit && !f.private) return bytes
  const dict = dcmjs.data.DicomMessage.readFile(bytes.buffer as ArrayBuffer)
  if (f.private) {
    dict.dict['00090010'] = { vr: 'LO', Value: ['ACME 1.0'] }
    dict.dict['00091001'] = { vr: 'LO', Value: [`Patient${Math.floor(i / 20)} home phone`] }
    dict.dict['00091002'] = { vr: 'DS', Value: ['1.5'] }
  }
  if (f.implicit) dict.meta['00020010'] = { vr: 'UI', Value: ['1.2.840.10008.1.2'] }
  return new Uint8Array(dict.write())
}
