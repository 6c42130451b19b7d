import { expect, test } from 'vitest'
import { naturalize, writePart10 } from '../results/part10.js'
import { supersedeReport } from './supersedeReport.js'

test('the new SR names its predecessor, joins its series and takes the next instance number; the input is not changed', () => {
  const sr = writePart10({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.33',
    SOPInstanceUID: '2.25.2',
    StudyInstanceUID: '1.2.3',
    SeriesInstanceUID: '2.25.20',
    InstanceNumber: 1,
    Modality: 'SR',
  })
  const before = sr.slice()
  const out = naturalize(
    supersedeReport(sr, {
      studyInstanceUid: '1.2.3',
      seriesInstanceUid: '2.25.10',
      sopInstanceUid: '2.25.1',
      versions: 1,
    }),
  )
  expect(out.SOPInstanceUID).toBe('2.25.2')
  expect(out.SeriesInstanceUID).toBe('2.25.10')
  expect(out.InstanceNumber).toBe(2)
  // dcmjs gives a one-item sequence as the item or as an array of one
  const first = (v: unknown) => (Array.isArray(v) ? v[0] : v) as Record<string, unknown>
  const predecessor = first(out.PredecessorDocumentsSequence)
  expect(predecessor.StudyInstanceUID).toBe('1.2.3')
  const series = first(predecessor.ReferencedSeriesSequence)
  expect(series.SeriesInstanceUID).toBe('2.25.10')
  expect(first(series.ReferencedSOPSequence)).toMatchObject({
    ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.88.33',
    ReferencedSOPInstanceUID: '2.25.1',
  })
  expect(sr).toEqual(before)
})
