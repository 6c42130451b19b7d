/// <reference path="../types/dcmjs.d.ts" />
import dcmjs from 'dcmjs'

const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1398.1'

/** Patient and General Study module attributes for a new object in the source's study. */
export function patientAndStudy(
  src: Record<string, unknown>,
  studyInstanceUid = src.StudyInstanceUID,
) {
  return {
    PatientName: src.PatientName ?? '',
    PatientID: src.PatientID ?? '',
    PatientBirthDate: src.PatientBirthDate ?? '',
    PatientSex: src.PatientSex ?? '',
    StudyInstanceUID: studyInstanceUid,
    StudyDate: src.StudyDate ?? '',
    StudyTime: src.StudyTime ?? '',
    ReferringPhysicianName: src.ReferringPhysicianName ?? '',
    StudyID: src.StudyID ?? '',
    AccessionNumber: src.AccessionNumber ?? '',
  }
}

/** A naturalized dataset written as a Part 10 file (explicit VR little endian) with its file meta. */
export function writePart10(dataset: Record<string, unknown>): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    _vrMap: { FileMetaInformationVersion: 'OB' },
  }
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta))
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset)
  return new Uint8Array(dict.write())
}

/** A new UID (2.25 form). */
export const newUid = () => dcmjs.data.DicomMetaDictionary.uid()

export { IMPLEMENTATION_CLASS_UID }
