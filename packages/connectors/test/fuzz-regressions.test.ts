/// <reference path="../src/types/dcmjs.d.ts" />
import { writeDicom } from '@btt/compute/testing'
import dcmjs from 'dcmjs'
import { describe, expect, test } from 'vitest'
import { reidentify } from '../src/deid/reidentify.js'
import type { PseudonymVault } from '../src/deid/vault.js'
import { ConnectorsError } from '../src/errors.js'
import { deflated } from './fuzz/fuzzCases.js'

// What the readers' mutation fuzz (fuzz-readers.test.ts) found, one case each.

const vault: PseudonymVault = {
  key: new Uint8Array(32),
  record() {},
  original: () => undefined,
  size: () => 0,
  close() {},
}

describe('fuzz regressions', () => {
  test('reidentify: a string length past its value made dcmjs read on and throw a plain Error (Value exceeds max length)', () => {
    const file = writeDicom({ frames: [new Uint16Array(64)], rows: 8, columns: 8 })
    // (0028,0004) CS "MONOCHROME2": its 2-byte length set to 65534
    const at = Buffer.from(file).indexOf(Buffer.from([0x28, 0, 0x04, 0, 0x43, 0x53]))
    expect(at).toBeGreaterThan(132)
    const broken = file.slice()
    broken.set([0xfe, 0xff], at + 6)
    let error: unknown
    try {
      reidentify(broken, { vault, file: 'broken.dcm' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConnectorsError)
    expect(error).toMatchObject({ code: 'REID_UNREADABLE_FILE', details: { offset: at } })
    expect((error as Error).message).toMatch(
      /^broken\.dcm: cannot re-identify: .*65534 bytes.*\(byte \d+\)\.$/,
    )
  })

  test('reidentify: a deflated dataset that does not add up made dcmjs throw a plain Error (it was not walked)', () => {
    const file = writeDicom({ frames: [new Uint16Array(64)], rows: 8, columns: 8 })
    const at = Buffer.from(file).indexOf(Buffer.from([0x28, 0, 0x04, 0, 0x43, 0x53]))
    const broken = file.slice()
    broken.set([0xfe, 0xff], at + 6) // (0028,0004) claims 65534 bytes
    expect(() => reidentify(deflated(broken), { vault, file: 'deflated.dcm' })).toThrow(
      expect.objectContaining({
        code: 'REID_UNREADABLE_FILE',
        message: expect.stringMatching(/in the inflated dataset: .*65534 bytes/),
      }),
    )
  })

  test('reidentify: a CS value longer than 16 characters, which dcmtk reads, made dcmjs refuse to write', () => {
    const file = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })
    const dict = dcmjs.data.DicomMessage.readFile(file.buffer.slice(file.byteOffset) as ArrayBuffer)
    ;(dict.dict as Record<string, unknown>)['00080060'] = {
      vr: 'CS',
      Value: ['A_MODALITY_TOO_LONG_FOR_CS'],
    }
    const long = new Uint8Array(dict.write({ allowInvalidVRLength: true }))
    const { bytes } = reidentify(long, { vault, file: 'long.dcm' })
    expect(Buffer.from(bytes).includes(Buffer.from('A_MODALITY_TOO_LONG_FOR_CS'))).toBe(true)
  })
})
