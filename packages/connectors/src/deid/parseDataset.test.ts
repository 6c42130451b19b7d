/// <reference path="../types/dcmjs.d.ts" />
import dcmjs from 'dcmjs'
import { describe, expect, test } from 'vitest'
import { part10 } from '../../test/deid/encode.js'
import { everyAttribute, UID_ROOT } from '../../test/deid/fixtures.js'
import { type DicomNode, type ParsedDicom, parseDataset } from './parseDataset.js'

const parse = (b: Uint8Array) => parseDataset(b, { file: 't.dcm', maxDepth: 32 })
const fixture = (explicit: boolean, undefinedLengths: boolean) =>
  part10(everyAttribute(), { explicit, undefinedLengths, sopInstanceUid: `${UID_ROOT}0` })

type Tree = { tag: string; value?: string; items?: Tree[][] }
const TEXT = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
])

/** Ours, as a tree of tags and text values. */
function ours(p: ParsedDicom, nodes: DicomNode[]): Tree[] {
  return nodes.map((n) => {
    const tag = n.tag.toString(16).padStart(8, '0')
    if (n.items) return { tag, items: n.items.map((i) => ours(p, i)) }
    if (!TEXT.has(n.vr)) return { tag }
    return {
      tag,
      value: p.bytes.toString('latin1', n.value, n.value + n.length).replace(/[\0 ]+$/, ''),
    }
  })
}
/** The reference: dcmjs, a plain whole-file reader, on the same bytes (its keys sorted by tag). */
function theirs(ds: Record<string, { vr: string; Value?: unknown[] }>): Tree[] {
  const entries = Object.entries(ds).sort(([a], [b]) =>
    a.toLowerCase() < b.toLowerCase() ? -1 : 1,
  )
  return entries.map(([t, el]) => {
    const tag = t.toLowerCase()
    if (el.vr === 'SQ') return { tag, items: ((el.Value ?? []) as (typeof ds)[]).map(theirs) }
    if (!TEXT.has(el.vr)) return { tag }
    return {
      tag,
      value: (el.Value ?? [])
        .map(String)
        .join('\\')
        .replace(/[\0 ]+$/, ''),
    }
  })
}

describe('parseDataset: one strict pass', () => {
  for (const [name, explicit, undefinedLengths] of [
    ['explicit VR, defined lengths', true, false],
    ['explicit VR, undefined lengths', true, true],
    ['implicit VR, undefined lengths', false, true],
  ] as const)
    test(`reads what dcmjs reads, element for element: ${name}`, () => {
      const bytes = fixture(explicit, undefinedLengths)
      const p = parse(bytes)
      expect(p.explicit).toBe(explicit)
      const ref = dcmjs.data.DicomMessage.readFile(bytes.buffer as ArrayBuffer)
      const mine = ours(p, p.dataset).filter((e) => !e.tag.startsWith('0009') || explicit)
      const reference = theirs(ref.dict as never).filter(
        (e) => !e.tag.startsWith('0009') || explicit,
      )
      expect(mine.length).toBeGreaterThan(600)
      expect(mine).toEqual(reference)
    })

  test('refuses what does not add up, naming the byte offset', () => {
    const good = fixture(true, false)
    expect(() => parse(new TextEncoder().encode('hello'))).toThrow(/no DICM marker/)
    expect(() => parse(good.slice(0, good.length - 3))).toThrow(
      expect.objectContaining({
        code: 'DEID_UNREADABLE_FILE',
        details: expect.objectContaining({ offset: expect.any(Number) }),
      }),
    )
    const badVr = good.slice()
    const at = Buffer.from(badVr).indexOf(Buffer.from('DA', 'latin1'), 400)
    badVr[at] = 0x3f
    expect(() => parse(badVr)).toThrow(/unknown VR "\?A"/)
    const long = part10([{ tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' }], {
      explicit: true,
      sopInstanceUid: '1.2',
    })
    long[long.length - 10] = 0xff // the name's length: past the end
    expect(() => parse(long)).toThrow(/claims \d+ bytes; only \d+ remain/)
  })

  test('zero bytes after the last top-level element are padding, left out; zeros in a value are not', () => {
    const pixels = new Uint8Array(16) // ends in zeros, as much pixel data does
    pixels[0] = 7
    const bytes = part10(
      [
        { tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' },
        { tag: 0x7fe00010, vr: 'OW', value: pixels },
      ],
      { explicit: true, sopInstanceUid: '1.2' },
    )
    const whole = parse(bytes)
    expect(whole.dataset.at(-1)).toMatchObject({ tag: 0x7fe00010, length: 16, end: bytes.length })
    for (const pad of [1, 7, 8, 300]) {
      const padded = new Uint8Array(bytes.length + pad)
      padded.set(bytes)
      const p = parse(padded)
      expect(p.dataset.map((n) => n.tag)).toEqual(whole.dataset.map((n) => n.tag))
      expect(p.dataset.at(-1)?.end).toBe(bytes.length)
    }
    const notPadding = new Uint8Array(bytes.length + 9)
    notPadding.set(bytes)
    notPadding[notPadding.length - 1] = 1 // a stray byte after zeros: not padding
    expect(() => parse(notPadding)).toThrow(
      expect.objectContaining({ code: 'DEID_UNREADABLE_FILE' }),
    )
  })

  test('sequences nested deeper than the bound are refused with DEID_TOO_DEEP', () => {
    let item: Parameters<typeof part10>[0] = [{ tag: 0x00100010, vr: 'PN', value: 'Doe' }]
    for (let i = 0; i < 40; i++) item = [{ tag: 0x00081199, vr: 'SQ', value: [item] }]
    const bytes = part10(item, { explicit: true, undefinedLengths: true, sopInstanceUid: '1.2' })
    expect(() => parse(bytes)).toThrow(expect.objectContaining({ code: 'DEID_TOO_DEEP' }))
  })

  test('an undefined-length sequence without its delimiter is refused', () => {
    const bytes = part10(
      [{ tag: 0x00081199, vr: 'SQ', value: [[{ tag: 0x00100010, vr: 'PN', value: 'Doe' }]] }],
      {
        explicit: true,
        undefinedLengths: true,
        sopInstanceUid: '1.2',
      },
    )
    expect(() => parse(bytes.slice(0, bytes.length - 8))).toThrow(/without its delimiter/)
  })
})

describe('a Part 10 file without a Transfer Syntax UID in its meta header', () => {
  /** The file `part10` writes, less its (0002,0010): meta group length fixed, last byte chosen. */
  function withoutTransferSyntax(lastByte: number) {
    const pixels = new Uint8Array(16)
    pixels[15] = lastByte
    const bytes = Buffer.from(
      part10(
        [
          { tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' },
          { tag: 0x7fe00010, vr: 'OW', value: pixels },
        ],
        { explicit: true, sopInstanceUid: '1.2.3' },
      ),
    )
    const at = bytes.indexOf(Buffer.from([0x02, 0x00, 0x10, 0x00, 0x55, 0x49]), 132)
    const length = bytes.readUInt16LE(at + 6)
    const out = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 8 + length)])
    out.writeUInt32LE(out.readUInt32LE(140) - 8 - length, 140)
    return out
  }

  test('is de-identified with the transfer syntax inferred (as dcmtk reads it), whatever its last byte', async () => {
    const { deidentify } = await import('./deidentify.js')
    for (const last of [0, 7]) {
      const input = withoutTransferSyntax(last)
      expect(() => parse(input)).toThrow(/no Transfer Syntax UID/)
      const out = deidentify(input, { key: new Uint8Array(32) })
      const p = parse(out.bytes)
      expect(p.transferSyntax).toBe('1.2.840.10008.1.2.1')
      expect(p.dataset.at(-1)).toMatchObject({ tag: 0x7fe00010, length: 16 })
    }
  })
})
