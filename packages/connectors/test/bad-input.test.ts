import { decodeDicom } from '@btt/compute'
import { writeDicom } from '@btt/compute/testing'
import { BttError } from '@btt/core'
import { describe, expect, test } from 'vitest'
import { deidentify } from '../src/deid/deidentify.js'
import { ConnectorsError } from '../src/errors.js'

const key = new TextEncoder().encode('k')
const base = () =>
  writeDicom({ frames: [new Uint16Array(16)], rows: 4, columns: 4, patientName: 'Bad^Input' })

/** Inserts raw element bytes right after the file meta (before the first dataset element). */
function insertAfterMeta(file: Uint8Array, element: Uint8Array): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset)
  const metaLength = view.getUint32(132 + 8, true) // (0002,0000) UL value
  const at = 132 + 12 + metaLength
  const out = new Uint8Array(file.length + element.length)
  out.set(file.subarray(0, at))
  out.set(element, at)
  out.set(file.subarray(at), at + element.length)
  return out
}
const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff]
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0))

const cases: [string, () => Uint8Array][] = [
  // (0008,0005)… a UN element claiming 2 GB with 4 bytes behind it
  [
    'a 2 GB claimed length',
    () =>
      insertAfterMeta(
        base(),
        new Uint8Array([
          ...le16(0x0008),
          ...le16(0x0001),
          ...ascii('UN'),
          0,
          0,
          ...le32(0x7ffffff0),
          1,
          2,
          3,
          4,
        ]),
      ),
  ],
  [
    'a length past the end of the file',
    () => {
      const f = base()
      return insertAfterMeta(
        f.slice(0, f.length - 40),
        new Uint8Array([
          ...le16(0x0008),
          ...le16(0x0001),
          ...ascii('LO'),
          ...le16(400),
          ...ascii('short'),
        ]),
      )
    },
  ],
  [
    'an unknown VR',
    () =>
      insertAfterMeta(
        base(),
        new Uint8Array([
          ...le16(0x0008),
          ...le16(0x0001),
          ...ascii('ZZ'),
          ...le16(4),
          ...ascii('abcd'),
        ]),
      ),
  ],
  [
    'sequences nested 200 deep',
    () => {
      // (0040,A730) Content Sequence, undefined lengths, 200 levels
      const open: number[] = []
      const close: number[] = []
      for (let i = 0; i < 200; i++) {
        open.push(
          ...le16(0x0040),
          ...le16(0xa730),
          ...ascii('SQ'),
          0,
          0,
          ...le32(0xffffffff),
          ...le16(0xfffe),
          ...le16(0xe000),
          ...le32(0xffffffff),
        )
        close.unshift(
          ...le16(0xfffe),
          ...le16(0xe00d),
          0,
          0,
          0,
          0,
          ...le16(0xfffe),
          ...le16(0xe0dd),
          0,
          0,
          0,
          0,
        )
      }
      return insertAfterMeta(base(), new Uint8Array([...open, ...close]))
    },
  ],
]

describe('hostile files: a typed error or a clean result, never a crash, hang or huge allocation', () => {
  for (const [name, make] of cases) {
    test(`deidentify: ${name}`, () => {
      const before = process.memoryUsage().arrayBuffers
      try {
        const { bytes } = deidentify(make(), { key, file: name })
        expect(Buffer.from(bytes).includes(Buffer.from('Bad^Input'))).toBe(false)
      } catch (error) {
        expect(error).toBeInstanceOf(ConnectorsError)
        expect((error as ConnectorsError).code).toMatch(/^DEID_(UNREADABLE_FILE|TOO_DEEP)$/)
        expect((error as ConnectorsError).message).toContain(name)
      }
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20)
    })

    test(`decodeDicom: ${name}`, async () => {
      const outcome = await decodeDicom(make(), name).then(
        (image) => ({ image }),
        (error: unknown) => ({ error }),
      )
      if ('image' in outcome) {
        // read: then it must be a coherent image, not whatever the bytes happened to say
        const { image } = outcome
        expect(image.rows * image.columns).toBeGreaterThan(0)
        expect(image.frames.length).toBeGreaterThan(0)
      } else {
        expect(outcome.error).toBeInstanceOf(BttError)
        expect((outcome.error as BttError).code).toMatch(/^COMPUTE_/)
        expect((outcome.error as BttError).kind).toBe('invalid_input')
      }
    })
  }

  test('nesting deeper than the limit is refused by name', () => {
    const nested = cases[3]![1]()
    expect(() => deidentify(nested, { key, file: 'deep.dcm' })).toThrow(
      /deep\.dcm: cannot de-identify/,
    )
  })
})
