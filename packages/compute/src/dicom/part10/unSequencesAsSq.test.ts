/// <reference path="../../types/dcmjs.d.ts" />
import dcmjs from 'dcmjs'
import { describe, expect, test } from 'vitest'
import { cp246File } from '../../testing/corpus/cp246File.js'
import { writeDicom } from '../../testing/writeDicom.js'
import { naturalize } from '../naturalize.js'
import { unSequencesAsSq } from './unSequencesAsSq.js'

const read = (bytes: Uint8Array) =>
  dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  ).dict as Record<
    string,
    { vr: string; Value: Record<string, { vr: string; Value: unknown[] }>[] }
  >

describe('unSequencesAsSq', () => {
  test('a private UN sequence of undefined length (CP-246) reads as SQ; dcmjs threw a RangeError on it', () => {
    const file = cp246File('1.2.3.4')
    expect(() => read(file)).toThrow(RangeError)
    const dict = read(unSequencesAsSq(file, 'cp246.dcm'))
    const outer = dict['00091001']!
    expect(outer.vr).toBe('SQ')
    const item = outer.Value[0]!
    expect(item['00080104']).toMatchObject({ vr: 'LO', Value: ['in a UN sequence'] })
    const inner = item['00091002'] as unknown as {
      vr: string
      Value: Record<string, { vr: string; Value: unknown[] }>[]
    }
    expect(inner.vr).toBe('SQ')
    expect(inner.Value[0]!['00100010']).toMatchObject({
      vr: 'PN',
      Value: [{ Alphabetic: 'Inner^Name' }],
    })
    expect(dict['00100010']).toMatchObject({ Value: [{ Alphabetic: 'Doe^Jane' }] })
  })

  test('naturalize reads such a file (it failed: not a readable DICOM file)', () => {
    expect(naturalize(cp246File('1.2.3.4'), 'cp246.dcm')).toMatchObject({ PatientID: 'PID-0003' })
  })

  test('a file without them is returned as it is', () => {
    const file = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })
    expect(unSequencesAsSq(file)).toBe(file)
  })
})
