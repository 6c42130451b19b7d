import { writeDicom } from '@btt/compute/testing'
import { expect, test } from 'vitest'
import { naturalize, readSources, writePart10 } from './part10.js'

test('readSources: the readable sources by SOP Instance UID, only those wanted; garbage left out', () => {
  const a = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2, sopInstanceUid: '1.1' })
  const b = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2, sopInstanceUid: '1.2' })
  const garbage = new TextEncoder().encode('not DICOM')
  expect([...readSources([a, garbage, b]).keys()]).toEqual(['1.1', '1.2'])
  expect([...readSources([a, garbage, b], new Set(['1.2'])).keys()]).toEqual(['1.2'])
})

test('writePart10: UTF-8 is declared only when a value needs it', () => {
  const base = { SOPClassUID: '1.2.840.10008.5.1.4.1.1.7', SOPInstanceUID: '1.2.3' }
  expect(naturalize(writePart10({ ...base, PatientName: 'Doe^J' })).SpecificCharacterSet).toBe(
    undefined,
  )
  const chinese = naturalize(writePart10({ ...base, PatientName: '张^伟' }))
  expect(chinese.SpecificCharacterSet).toBe('ISO_IR 192')
})
