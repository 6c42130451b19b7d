import { describe, expect, test } from 'vitest'
import { ComputeError } from '../../errors.js'
import { writeDicom } from '../../testing/writeDicom.js'
import { decodeDicom } from '../decodeDicom.js'
import { parsePart10 } from './parsePart10.js'
import { toPart10 } from './toPart10.js'

/** Element bytes: tag, then (explicit) VR and length, or (implicit) a 4-byte length. */
function el(
  tag: [number, number],
  value: number[] | string,
  o: { vr?: string; le?: boolean; length?: number } = {},
): number[] {
  const le = o.le ?? true
  const bytes = typeof value === 'string' ? [...value].map((c) => c.charCodeAt(0)) : value
  const u16 = (n: number) => (le ? [n & 0xff, n >> 8] : [n >> 8, n & 0xff])
  const u32 = (n: number) =>
    le ? [...u16(n & 0xffff), ...u16(n >>> 16)] : [...u16(n >>> 16), ...u16(n & 0xffff)]
  const length = o.length ?? bytes.length
  const head = [...u16(tag[0]), ...u16(tag[1])]
  if (!o.vr) return [...head, ...u32(length), ...bytes]
  const vr = [o.vr.charCodeAt(0), o.vr.charCodeAt(1)]
  if (['OB', 'OW', 'SQ', 'UN', 'UT'].includes(o.vr))
    return [...head, ...vr, 0, 0, ...u32(length), ...bytes]
  return [...head, ...vr, ...u16(length), ...bytes]
}
const ITEM = (le = true) => el([0xfffe, 0xe000], [], { length: 0xffffffff, le })
const ITEM_END = (le = true) => el([0xfffe, 0xe00d], [], { le })
const SEQ_END = (le = true) => el([0xfffe, 0xe0dd], [], { le })
const U = 0xffffffff

/** An implicit VR little endian dataset as older systems store it: no preamble, no meta header. */
const implicitDataset = Uint8Array.from([
  ...el([0x0001, 0x0010], 'RESERVED'),
  ...el([0x0001, 0x1001], [], { length: U }),
  ...ITEM(),
  ...el([0x0001, 0x0010], 'RESERVED'),
  ...el([0x0001, 0x1002], [], { length: U }),
  ...ITEM(),
  ...el([0x0010, 0x0010], 'Inner^Name'),
  ...ITEM_END(),
  ...SEQ_END(),
  ...ITEM_END(),
  ...SEQ_END(),
  ...el([0x0008, 0x0016], '1.2.840.10008.5.1.4.1.1.7\0'),
  ...el([0x0008, 0x0018], '1.2.3.4'),
  ...el([0x0008, 0x0060], 'OT'),
  ...el([0x0010, 0x0010], 'Doe^Jane'),
])

const rejection = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return error as ComputeError
  }
  throw new Error('did not throw')
}

describe('toPart10', () => {
  test('a dataset with no preamble or meta header (implicit VR LE) is read, its syntax inferred as dcmtk does', () => {
    const input = implicitDataset.slice()
    const out = toPart10(input, 'old.dcm')
    expect(out).toMatchObject({
      form: 'dataset',
      inferred: true,
      transferSyntaxUid: '1.2.840.10008.1.2',
    })
    expect(input).toEqual(implicitDataset) // never changes its input
    const ds = parsePart10(out.bytes, 'old.dcm')
    expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2')
    expect(ds.string('x00020003')).toBe('1.2.3.4')
    expect(ds.string('x00100010')).toBe('Doe^Jane')
    expect(ds.string('x00080060')).toBe('OT')
  })

  test('explicit VR little and big endian datasets without meta are told apart by their first element', () => {
    const explicitLe = Uint8Array.from([
      ...el([0x0008, 0x0060], 'OT', { vr: 'CS' }),
      ...el([0x0010, 0x0010], 'Doe', { vr: 'PN' }),
    ])
    const explicitBe = Uint8Array.from([
      ...el([0x0008, 0x0060], 'OT', { vr: 'CS', le: false }),
      ...el([0x0010, 0x0010], 'Doe', { vr: 'PN', le: false }),
    ])
    expect(toPart10(explicitLe).transferSyntaxUid).toBe('1.2.840.10008.1.2.1')
    expect(toPart10(explicitBe).transferSyntaxUid).toBe('1.2.840.10008.1.2.2')
    expect(parsePart10(toPart10(explicitBe).bytes).string('x00100010')).toBe('Doe')
  })

  test('the byte order when the first element is private (0001) or in a high group (7FE0)', () => {
    for (const le of [true, false]) {
      const privateFirst = [
        ...el([0x0001, 0x0010], 'ACME', { vr: 'LO', le }),
        ...el([0x0010, 0x0010], 'Doe', { vr: 'PN', le }),
      ]
      const pixelsOnly = el([0x7fe0, 0x0010], [1, 2], { vr: 'OW', le })
      const expected = le ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2.2'
      expect(toPart10(Uint8Array.from(privateFirst)).transferSyntaxUid).toBe(expected)
      expect(toPart10(Uint8Array.from(pixelsOnly)).transferSyntaxUid).toBe(expected)
    }
  })

  test('a Part 10 file is returned as it is, not copied', () => {
    const file = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })
    const out = toPart10(file)
    expect(out.bytes).toBe(file)
    expect(out).toMatchObject({ form: 'part10', inferred: false })
  })

  test('a meta header without the preamble is read', () => {
    const file = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })
    const out = toPart10(file.subarray(132), 'nopreamble.dcm')
    expect(out.form).toBe('no-preamble')
    expect(parsePart10(out.bytes).uint16('x00280010')).toBe(2)
  })

  test('decodeDicom reads an image stored without preamble and meta header (it refused: no DICM marker)', async () => {
    const file = writeDicom({ frames: [Uint16Array.of(1, 2, 3, 4)], rows: 2, columns: 2 })
    const image = await decodeDicom(file.subarray(metaEnd(file)), 'raw.dcm')
    expect(Array.from(image.frames[0]!)).toEqual([1, 2, 3, 4])
  })
})

describe('toPart10 refuses malformed structure with the reason and the byte offset', () => {
  const cases: [string, number[], RegExp, number][] = [
    [
      'a value longer than the file',
      [...el([0x0010, 0x0010], 'Doe^J', { length: 400 })],
      /declares 400 bytes but only 5 remain/,
      0,
    ],
    [
      'an unknown explicit VR',
      [
        ...el([0x0008, 0x0060], 'OT', { vr: 'CS' }),
        ...el([0x0010, 0x0010], 'Doe^', { vr: 'PN' }).map((b, i) => (i === 4 ? 0x7a : b)),
      ],
      /unknown VR/,
      14,
    ],
    [
      'a sequence with no delimiter',
      [...el([0x0009, 0x0010], 'ACME'), ...el([0x0009, 0x1001], [], { length: U }), ...ITEM()],
      /ends without an item delimiter|without a sequence delimiter/,
      28,
    ],
    [
      'an undefined length on a string VR',
      [
        ...el([0x0008, 0x0060], 'OT', { vr: 'CS' }),
        ...el([0x0008, 0x0070], [], { vr: 'UT', length: U }),
      ],
      /undefined length/,
      10,
    ],
    ['stray bytes', [...el([0x0008, 0x0060], 'OT'), 1, 2, 3], /3 stray bytes/, 10],
    ['too few bytes to infer from', [1, 2, 3], /too short/, 0],
  ]
  for (const [what, bytes, reason, offset] of cases)
    test(what, () => {
      const error = rejection(() => toPart10(Uint8Array.from(bytes), 'bad.dcm'))
      expect(error).toBeInstanceOf(ComputeError)
      expect(error.code).toBe('COMPUTE_UNREADABLE_DICOM')
      expect(error.message).toMatch(reason)
      expect(error.message).toContain(`(at byte ${offset})`)
      expect(error.details).toMatchObject({ file: 'bad.dcm', offset })
    })

  test('sequences nested beyond the limit are refused, not a stack overflow', () => {
    const open: number[] = []
    const close: number[] = []
    for (let i = 0; i < 200; i++) {
      open.push(...el([0x0009, 0x1001], [], { length: U }), ...ITEM())
      close.unshift(...ITEM_END(), ...SEQ_END())
    }
    const error = rejection(() => toPart10(Uint8Array.from([...open, ...close])))
    expect(error.message).toMatch(/nested deeper than 64/)
  })
})

function metaEnd(file: Uint8Array): number {
  const view = new DataView(file.buffer, file.byteOffset)
  let pos = 132
  while (view.getUint16(pos, true) === 2) {
    const vr = String.fromCharCode(file[pos + 4]!, file[pos + 5]!)
    pos += vr === 'OB' ? 12 + view.getUint32(pos + 8, true) : 8 + view.getUint16(pos + 6, true)
  }
  return pos
}

describe('trailing zero padding', () => {
  test('an explicit VR file with 16 zero bytes after its last element is read (it was refused: unknown VR)', () => {
    const file = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })
    const padded = new Uint8Array(file.byteLength + 16)
    padded.set(file)
    const out = toPart10(padded, 'padded.dcm')
    expect(out.bytes.byteLength).toBe(file.byteLength)
    expect(out.bytes.buffer).toBe(padded.buffer) // a view, not a copy
  })

  test('zero bytes before any element are no padding: a file of zeros reads as dcmdump reads it', () => {
    expect(toPart10(new Uint8Array(64)).elements).toBe(1) // one (0000,0000), as dcmdump prints it
  })
})

describe('file meta group length', () => {
  test('a meta header without (0002,0000) gets one, its elements kept (dcmjs, so reidentify, refused it)', () => {
    const file = writeDicom({ frames: [Uint16Array.of(1, 2, 3, 4)], rows: 2, columns: 2 })
    const without = new Uint8Array(file.byteLength - 12)
    without.set(file.subarray(0, 132))
    without.set(file.subarray(144), 132)
    const out = toPart10(without, 'no-length.dcm')
    expect(out.bytes).toEqual(file) // the same file back, group length included
  })
})
