/// <reference path="../src/types/dcmjs.d.ts" />
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tool } from '@btt/testing'
import dcmjs from 'dcmjs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readPart10 } from '../src/dicom/part10/toPart10.js'
import { UNDEFINED_LENGTH } from '../src/dicom/part10/vr.js'
import { type AttributeReader, IMAGE_ATTRIBUTES, TopDataset } from '../src/dicom/topDataset.js'
import {
  decodeDicom,
  parsePart10,
  supportedTransferSyntaxes,
  toPart10,
  unSequencesAsSq,
} from '../src/index.js'
import {
  buildCorpus,
  type CorpusFile,
  compareWithDcmdump,
  type DcmjsDataset,
  dcmdumpTree,
} from '../src/testing/index.js'

// The rule (issue 11 §2): a file dcmdump reads without error is read by BTT, element by element
// as dcmdump reads it. The corpus is written at test time by dcmtk, dcmjs-codecs and dcmjs.
const tools = {
  dcmdump: tool('dcmdump', 'dcmtk'),
  dump2dcm: tool('dump2dcm', 'dcmtk'),
  dcmconv: tool('dcmconv', 'dcmtk'),
  dcmcrle: tool('dcmcrle', 'dcmtk'),
  dcmcjpeg: tool('dcmcjpeg', 'dcmtk'),
  dcmcjpls: tool('dcmcjpls', 'dcmtk'),
}
const have = Object.values(tools).every(Boolean)
let dir = ''
let corpus: CorpusFile[] = []

beforeAll(async () => {
  if (!have) return
  dir = mkdtempSync(join(tmpdir(), 'btt-read-corpus-'))
  corpus = await buildCorpus(dir, tools as Required<{ [K in keyof typeof tools]: string }>)
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const dcmjsRead = (bytes: Uint8Array): DcmjsDataset =>
  dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  ).dict as DcmjsDataset

describe.skipIf(!have)('the read corpus (dcmtk, dcmjs-codecs, dcmjs)', () => {
  test('covers every transfer syntax compute claims, and files without a meta header', () => {
    const covered = new Set(corpus.map((f) => f.transferSyntaxUid))
    expect(supportedTransferSyntaxes.filter((uid) => !covered.has(uid))).toEqual([])
    expect(
      corpus
        .filter((f) => f.form === 'dataset')
        .map((f) => f.transferSyntaxUid)
        .sort(),
    ).toEqual([
      '1.2.840.10008.1.2',
      '1.2.840.10008.1.2',
      '1.2.840.10008.1.2.1',
      '1.2.840.10008.1.2.1',
      '1.2.840.10008.1.2.2',
      '1.2.840.10008.1.2.2',
      '1.2.840.10008.1.2.2',
    ])
  })

  test('every file reads as dcmdump reads it: tags, VRs, values, sequences (dcmjs after toPart10 and unSequencesAsSq)', () => {
    const problems: string[] = []
    for (const f of corpus) {
      const dump = dcmdumpTree(tools.dcmdump!, f.path)
      const part10 = toPart10(new Uint8Array(readFileSync(f.path)), f.name)
      expect.soft(part10.transferSyntaxUid, f.name).toBe(f.transferSyntaxUid)
      expect.soft(part10.form, f.name).toBe(f.form)
      for (const p of compareWithDcmdump(dump.elements, dcmjsRead(unSequencesAsSq(part10.bytes))))
        problems.push(`${f.name}: ${p}`)
    }
    expect(problems).toEqual([])
  })

  test("dicom-parser (compute's decoder) sees the top-level elements dcmdump sees", () => {
    const problems: string[] = []
    for (const f of corpus.filter((c) => c.transferSyntaxUid !== DEFLATED)) {
      const dump = dcmdumpTree(tools.dcmdump!, f.path)
      const ds = parsePart10(toPart10(new Uint8Array(readFileSync(f.path)), f.name).bytes, f.name)
      const ours = Object.keys(ds.elements)
        .map((t) => t.slice(1).toUpperCase())
        .filter((t) => !t.startsWith('0002'))
        .sort()
      const theirs = dump.elements
        .filter((e) => e.tag !== '00000000' || e.value !== '') // trailing zero padding
        .map((e) => e.tag)
        .sort()
      if (ours.join() !== theirs.join())
        problems.push(`${f.name}: ${ours.join()} != ${theirs.join()}`)
    }
    expect(problems).toEqual([])
  })

  test("the structure walk's attributes (decodeDicom's reading) are dicom-parser's", () => {
    const problems: string[] = []
    for (const f of corpus.filter((c) => c.transferSyntaxUid !== DEFLATED)) {
      const read = readPart10(new Uint8Array(readFileSync(f.path)), f.name, IMAGE_ATTRIBUTES)
      if (read.part10.unSequences) continue // unSequencesAsSq rewrites these: parsed by dicom-parser
      const walked = new TopDataset(read.part10.bytes, read.top!, read.encoding.littleEndian)
      const parsed = parsePart10(read.part10.bytes, f.name)
      for (const tag of IMAGE_ATTRIBUTES.values()) {
        // encapsulated Pixel Data (undefined length): decodeDicom transcodes, then parses
        if (tag === 'x7fe00010' && read.top!.x7fe00010?.length === UNDEFINED_LENGTH) continue
        const reading = (ds: AttributeReader) =>
          JSON.stringify([
            ds.elements[tag]?.dataOffset,
            ds.elements[tag]?.length,
            ds.uint16(tag),
            tag === 'x7fe00010' ? '' : [ds.string(tag), ds.floatString(tag)],
          ])
        if (reading(walked) !== reading(parsed))
          problems.push(`${f.name} ${tag}: ${reading(walked)} != ${reading(parsed)}`)
      }
    }
    expect(problems).toEqual([])
  })

  test('decodeDicom decodes every image file, with or without a meta header, lossless ones to the same pixels', async () => {
    const reference = await decodeDicom(
      new Uint8Array(readFileSync(join(dir, 'image16-explicit-defined.dcm'))),
    )
    const problems: string[] = []
    for (const f of corpus.filter((c) => c.image)) {
      try {
        const image = await decodeDicom(new Uint8Array(readFileSync(f.path)), f.name)
        if (image.frames.length !== 1 || image.rows * image.columns !== image.frames[0]!.length)
          problems.push(`${f.name}: ${image.frames.length} frames of ${image.frames[0]?.length}`)
        const sameSource =
          f.name.startsWith('image16') ||
          (f.maker !== 'dcmjs' &&
            f.name.startsWith('image-') &&
            f.transferSyntaxUid !== JPEG_BASELINE)
        if (
          sameSource &&
          !LOSSY.has(f.transferSyntaxUid) &&
          !equal(image.frames[0]!, reference.frames[0]!)
        )
          problems.push(`${f.name}: pixels differ from the uncompressed file's`)
      } catch (error) {
        problems.push(`${f.name}: ${(error as Error).message}`)
      }
    }
    expect(problems).toEqual([])
  })
})

const DEFLATED = '1.2.840.10008.1.2.1.99'
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50'
const LOSSY = new Set([
  JPEG_BASELINE,
  '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.4.112',
  '1.2.840.10008.1.2.4.203',
])
const equal = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i])
