/// <reference path="../types/dcmjs.d.ts" />
import dcmjs from 'dcmjs'

export type SyntheticDicomOptions = {
  /** One Uint16/Int16/Uint8 array per frame, rows × columns each. */
  frames: readonly (Uint16Array | Int16Array | Uint8Array)[]
  rows: number
  columns: number
  modality?: string
  bodyPart?: string
  bitsStored?: number
  signed?: boolean
  photometric?: 'MONOCHROME1' | 'MONOCHROME2'
  rescaleSlope?: number
  rescaleIntercept?: number
  windowCenter?: number
  windowWidth?: number
  studyInstanceUid?: string
  seriesInstanceUid?: string
  sopInstanceUid?: string
  patientName?: string
  patientId?: string
  /** Extra attributes, naturalized (e.g. a nested sequence). */
  extra?: Record<string, unknown>
}

const DX_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.1'
const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2'
const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1398.1'

/** A DICOM Part 10 file (explicit VR little endian) of the given frames, written with dcmjs. */
export function writeDicom(o: SyntheticDicomOptions): Uint8Array {
  const uid = () => dcmjs.data.DicomMetaDictionary.uid()
  const modality = o.modality ?? 'DX'
  const sopClass = modality === 'CT' ? CT_IMAGE : DX_FOR_PRESENTATION
  const sopInstanceUid = o.sopInstanceUid ?? uid()
  const bitsAllocated = o.frames[0] instanceof Uint8Array ? 8 : 16
  const frameBytes = o.rows * o.columns * (bitsAllocated / 8)
  const pixels = new Uint8Array(frameBytes * o.frames.length)
  for (const [i, f] of o.frames.entries())
    pixels.set(new Uint8Array(f.buffer, f.byteOffset, frameBytes), i * frameBytes)
  const dataset: Record<string, unknown> = {
    SOPClassUID: sopClass,
    SOPInstanceUID: sopInstanceUid,
    StudyInstanceUID: o.studyInstanceUid ?? uid(),
    SeriesInstanceUID: o.seriesInstanceUid ?? uid(),
    StudyDate: '20260301',
    StudyTime: '101500',
    AccessionNumber: 'ACC0001',
    Modality: modality,
    BodyPartExamined: o.bodyPart ?? 'CHEST',
    PatientName: o.patientName ?? 'Synthetic^Patient',
    PatientID: o.patientId ?? 'SYN-0001',
    PatientBirthDate: '19700101',
    PatientSex: 'O',
    InstanceNumber: 1,
    SamplesPerPixel: 1,
    PhotometricInterpretation: o.photometric ?? 'MONOCHROME2',
    Rows: o.rows,
    Columns: o.columns,
    BitsAllocated: bitsAllocated,
    BitsStored: o.bitsStored ?? (bitsAllocated === 8 ? 8 : 12),
    HighBit: (o.bitsStored ?? (bitsAllocated === 8 ? 8 : 12)) - 1,
    PixelRepresentation: o.signed ? 1 : 0,
    RescaleSlope: o.rescaleSlope ?? 1,
    RescaleIntercept: o.rescaleIntercept ?? 0,
    ...(o.windowCenter !== undefined
      ? { WindowCenter: o.windowCenter, WindowWidth: o.windowWidth }
      : {}),
    ...(o.frames.length > 1 ? { NumberOfFrames: o.frames.length } : {}),
    ...(modality === 'DX' ? dxModules(o) : {}),
    ...o.extra,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: bitsAllocated === 8 ? 'OB' : 'OW' },
  }
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'BTT-SDK',
    _vrMap: { FileMetaInformationVersion: 'OB' },
  }
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta))
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset)
  return new Uint8Array(dict.write())
}

/**
 * What a DX For Presentation image carries besides pixels (PS3.3 A.26): series, equipment, a PA
 * chest's anatomy, orientation and view, detector, and a VOI window (the file's own when given,
 * else one covering the stored values), so the synthetic files are valid DX IODs (dciodvfy).
 */
function dxModules(o: SyntheticDicomOptions): Record<string, unknown> {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const f of o.frames)
    for (let i = 0; i < f.length; i++) {
      const v = f[i]!
      if (v < min) min = v
      if (v > max) max = v
    }
  const slope = o.rescaleSlope ?? 1
  const intercept = o.rescaleIntercept ?? 0
  const [lo, hi] = [min * slope + intercept, max * slope + intercept].sort((a, b) => a - b)
  return {
    StudyID: '1',
    ReferringPhysicianName: '',
    SeriesNumber: 1,
    Manufacturer: 'BTT synthetic',
    PresentationIntentType: 'FOR PRESENTATION',
    ImageType: ['ORIGINAL', 'PRIMARY'],
    PatientOrientation: ['L', 'F'],
    ViewPosition: 'PA',
    ViewCodeSequence: [
      { CodeValue: '399348003', CodingSchemeDesignator: 'SCT', CodeMeaning: 'postero-anterior' },
    ],
    PositionerType: '',
    ImageLaterality: 'U',
    AnatomicRegionSequence: [
      { CodeValue: '43799004', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Chest' },
    ],
    PixelIntensityRelationship: 'LIN',
    PixelIntensityRelationshipSign: 1,
    RescaleType: 'US',
    PresentationLUTShape: o.photometric === 'MONOCHROME1' ? 'INVERSE' : 'IDENTITY',
    LossyImageCompression: '00',
    BurnedInAnnotation: 'NO',
    DetectorType: 'SCINTILLATOR',
    ImagerPixelSpacing: [0.7, 0.7],
    AcquisitionContextSequence: [],
    ...(o.windowCenter === undefined
      ? { WindowCenter: (lo! + hi! + 1) / 2, WindowWidth: hi! - lo! + 1 }
      : {}),
  }
}
