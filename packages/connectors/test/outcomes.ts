/// <reference path="../src/types/dcmjs.d.ts" />
import { type AnalysisResult, analyze, type Finding, type Mask } from '@btt/compute'
import { type Nodule, syntheticChest, writeDicom } from '@btt/compute/testing'
import dcmjs from 'dcmjs'
import { deidentify } from '../src/deid/deidentify.js'
import type { PseudonymVault } from '../src/deid/vault.js'

/**
 * The outcomes of an analysis that every result object must encode validly (issue 17): each is a
 * set of input files and the analysis of them, made once per test file.
 */
export type Outcome = {
  name: string
  /** What was given to `analyze` (readable DICOM and, for a partial analysis, a broken file). */
  inputs: Uint8Array[]
  result: AnalysisResult
  /**
   * The PACS flow's remote mode: the inputs de-identified with the vault (a file that is not
   * DICOM stays as it is) and their analysis; results made from them are re-identified.
   */
  remote: { inputs: Uint8Array[]; result: AnalysisResult }
}

const ROOT = '1.2.826.0.1.3680043.10.1398.700'
const nodule = (x: number, y: number): Nodule => ({ x, y, radius: 13, contrast: 650 })

/** A DX chest radiograph of study `s`, series `series`, instance `n`. */
function chest(s: number, series: number, n: number, nodules: Nodule[]) {
  return writeDicom({
    frames: [syntheticChest({ seed: 700 + s * 10 + n, nodules })],
    rows: 512,
    columns: 512,
    studyInstanceUid: `${ROOT}.${s}`,
    seriesInstanceUid: `${ROOT}.${s}.${series}`,
    sopInstanceUid: `${ROOT}.${s}.${series}.${n}`,
    patientId: `CONF-${s}`,
  })
}

const MULTIFRAME_SC_WORD = '1.2.840.10008.5.1.4.1.1.7.3'

/**
 * A multi-frame radiograph: three frames, the opacity in the last, as a Multi-frame Grayscale Word
 * Secondary Capture (a DX image cannot hold frames) with its multi-frame modules, modality DX.
 */
function multiFrame(s: number) {
  const bytes = writeDicom({
    frames: [0, 1, 2].map((f) =>
      syntheticChest({ seed: 780 + f, nodules: f === 2 ? [nodule(300, 200)] : [] }),
    ),
    rows: 512,
    columns: 512,
    modality: 'DX',
    studyInstanceUid: `${ROOT}.${s}`,
    seriesInstanceUid: `${ROOT}.${s}.1`,
    sopInstanceUid: `${ROOT}.${s}.1.1`,
    patientId: `CONF-${s}`,
  })
  const dict = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  )
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict)
  const keep = [
    'ViewPosition',
    'ViewCodeSequence',
    'PositionerType',
    'ImageLaterality',
    'AnatomicRegionSequence',
    'PixelIntensityRelationship',
    'PixelIntensityRelationshipSign',
    'PresentationIntentType',
    'DetectorType',
    'ImagerPixelSpacing',
    'AcquisitionContextSequence',
    'WindowCenter',
    'WindowWidth',
  ]
  for (const k of keep) delete ds[k]
  Object.assign(ds, {
    SOPClassUID: MULTIFRAME_SC_WORD,
    ImageType: ['DERIVED', 'PRIMARY'],
    ConversionType: 'WSD',
    PresentationLUTShape: 'IDENTITY',
    BitsStored: 12,
    HighBit: 11,
    RescaleIntercept: 0,
    RescaleSlope: 1,
    RescaleType: 'US',
    FrameIncrementPointer: 0x0018_2002, // frames labelled by Frame Label Vector
    FrameLabelVector: ['frame 1', 'frame 2', 'frame 3'],
    _vrMap: { PixelData: 'OW' },
  })
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds)
  const meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.meta)
  meta.MediaStorageSOPClassUID = MULTIFRAME_SC_WORD
  dict.meta = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta)
  return new Uint8Array(dict.write())
}

/** A second finding with a local code (no SNOMED concept): a square mask and box at (x, y). */
function localFinding(x: number, y: number, size: number): Finding {
  const pixels = new Uint8Array(size * size)
  const probabilities = new Uint8Array(size * size)
  for (let r = y; r < y + 24; r++)
    for (let c = x; c < x + 24; c++) {
      pixels[r * size + c] = 1
      probabilities[r * size + c] = 200
    }
  const mask: Mask = { rows: size, columns: size, pixels, area: 24 * 24, probabilities }
  return {
    label: 'calcification-cluster',
    probability: 0.81,
    present: true,
    box: { x, y, width: 24, height: 24 },
    mask,
  }
}

const named = (name: string, inputs: Uint8Array[]) =>
  inputs.map((bytes, i) => ({ name: `${name}-${i}.dcm`, bytes }))

/** De-identifies each input that is DICOM with the vault; leaves the rest as they are. */
function deidentifyAll(inputs: Uint8Array[], vault: PseudonymVault): Uint8Array[] {
  return inputs.map((bytes) => {
    try {
      return deidentify(bytes, { vault }).bytes
    } catch {
      return bytes
    }
  })
}

/**
 * Every outcome, each analysed once as it is and once de-identified (with mask probabilities, for
 * FRACTIONAL SEG).
 */
export async function makeOutcomes(vault: PseudonymVault): Promise<Outcome[]> {
  const options = { maskProbabilities: true }
  const run = async (name: string, inputs: Uint8Array[]): Promise<Outcome> => {
    const deidentified = deidentifyAll(inputs, vault)
    return {
      name,
      inputs,
      result: await analyze(named(name, inputs), options),
      remote: {
        inputs: deidentified,
        result: await analyze(named(name, deidentified), options),
      },
    }
  }
  const several = await run('several findings and labels', [
    chest(3, 1, 1, [nodule(170, 230)]),
    chest(3, 1, 2, [nodule(330, 260)]),
  ])
  // a second label, with no standard code, next to the nodule; and a label stated absent
  for (const result of [several.result, several.remote.result])
    result.images[0]!.findings.push(localFinding(60, 380, 512), {
      label: 'effusion',
      probability: 0.04,
      present: false,
    })
  const noMask = await run('a finding without a mask', [chest(7, 1, 1, [nodule(250, 250)])])
  for (const image of [...noMask.result.images, ...noMask.remote.result.images])
    image.findings = image.findings.map(({ mask: _, ...f }) => f)
  return [
    await run('no finding', [chest(1, 1, 1, [])]),
    await run('one finding', [chest(2, 1, 1, [nodule(200, 240)])]),
    several,
    await run('a multi-frame input', [multiFrame(4)]),
    await run('several series in one study', [
      chest(5, 1, 1, [nodule(180, 220)]),
      chest(5, 2, 1, [nodule(320, 260)]),
      chest(5, 3, 1, []),
    ]),
    await run('a partial analysis (one input failed)', [
      chest(6, 1, 1, [nodule(200, 200)]),
      new TextEncoder().encode('not a DICOM file at all'),
      chest(6, 1, 2, []),
    ]),
    noMask,
  ]
}
