import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { writeDicom } from '../testing/writeDicom.js'
import { parsePart10 } from './part10/parsePart10.js'
import { readPart10 } from './part10/toPart10.js'
import { type AttributeReader, IMAGE_ATTRIBUTES, TopDataset } from './topDataset.js'

/** Every attribute decodeDicom reads, as both readers read it. */
function readings(ds: AttributeReader) {
  return [...IMAGE_ATTRIBUTES.values()].map((tag) => ({
    tag,
    string: tag === 'x7fe00010' ? undefined : ds.string(tag),
    uint16: ds.uint16(tag),
    floatString: tag === 'x7fe00010' ? undefined : ds.floatString(tag),
    place: ds.elements[tag] && [ds.elements[tag]!.dataOffset, ds.elements[tag]!.length],
  }))
}

function both(bytes: Uint8Array) {
  const { part10, encoding, top } = readPart10(bytes, 'a.dcm', IMAGE_ATTRIBUTES)
  const walked = new TopDataset(part10.bytes, top!, encoding.littleEndian)
  return { walked: readings(walked), parsed: readings(parsePart10(part10.bytes, 'a.dcm')) }
}

const text = fc.stringMatching(/^[ -[\]-~]{0,12}$/)

describe('TopDataset (decodeDicom without a second parse)', () => {
  test('reads every attribute decodeDicom needs as dicom-parser reads it, with and without a meta header', () => {
    fc.assert(
      fc.property(
        fc.record({
          rows: fc.integer({ min: 1, max: 4 }),
          columns: fc.integer({ min: 1, max: 4 }),
          windowCenter: fc.integer({ min: -800_000, max: 800_000 }).map((v) => v / 8),
          windowWidth: fc.integer({ min: 1, max: 800_000 }).map((v) => v / 8),
          rescaleSlope: fc.constantFrom(1, 0.5, 2.25),
          bodyPart: text,
          modality: fc.constantFrom('DX', 'CR', 'OT ', ''),
          bare: fc.boolean(),
        }),
        ({ rows, columns, bare, ...rest }) => {
          const file = writeDicom({
            frames: [new Uint16Array(rows * columns)],
            rows,
            columns,
            ...rest,
          })
          const bytes = bare ? file.subarray(readPart10(file, 'a').part10.datasetOffset) : file
          const { walked, parsed } = both(bytes)
          expect(walked).toEqual(parsed)
        },
      ),
      { numRuns: 60 },
    )
  })

  test('a multi-valued DS gives its first value; a string stops at a NUL', () => {
    const ds = new TopDataset(
      new TextEncoder().encode('1.5 \\2 AB\0CD'),
      {
        x00281050: { vr: 'DS', length: 7, dataOffset: 0 },
        x00080060: { vr: 'CS', length: 5, dataOffset: 7 },
      },
      true,
    )
    expect([ds.floatString('x00281050'), ds.string('x00080060'), ds.string('x00180015')]).toEqual([
      1.5,
      'AB',
      undefined,
    ])
  })
})
