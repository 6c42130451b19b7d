import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeDicom } from '@btt/compute'
import {
  buildCorpus,
  type CorpusFile,
  compareWithDcmdump,
  type DcmjsDataset,
  type DumpElement,
  dcmdumpTree,
} from '@btt/compute/testing'
import { tool } from '@btt/testing'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { deidentify } from '../src/deid/deidentify.js'
import { type DicomNode, type ParsedDicom, parseDataset } from '../src/deid/parseDataset.js'
import { readablePart10 } from '../src/deid/readablePart10.js'
import { reidentify } from '../src/deid/reidentify.js'
import { openVault } from '../src/deid/vault.js'

// The rule (issue 11 §2): a file dcmdump reads without error is read by BTT — here by
// deidentify and reidentify — whatever its transfer syntax, with or without a file meta header,
// with private sequences of undefined length nested in reserved (0001) and vendor groups.
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
const key = new TextEncoder().encode('read-corpus key')

beforeAll(async () => {
  if (!have) return
  dir = mkdtempSync(join(tmpdir(), 'btt-deid-corpus-'))
  corpus = await buildCorpus(dir, tools as Required<{ [K in keyof typeof tools]: string }>)
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Every tag at every depth of a dcmdump tree. */
function allTags(elements: readonly DumpElement[]): string[] {
  return elements.flatMap((e) => [e.tag, ...(e.items ?? []).flatMap((item) => allTags(item))])
}

describe.skipIf(!have)('deidentify and reidentify read the corpus dcmdump reads', () => {
  test("deidentify's parser reads every file as dcmdump does: tags, VRs, values, sequences at every depth", () => {
    const problems: string[] = []
    for (const f of corpus) {
      const file = readablePart10(new Uint8Array(readFileSync(f.path)), {
        file: f.name,
        code: 'DEID_UNREADABLE_FILE',
        verb: 'de-identify',
        check: false,
      })
      const parsed = parseDataset(file, { file: f.name, maxDepth: 32 })
      const ours = asDataset(parsed, parsed.dataset, parsed.explicit ? parsed.littleEndian : true)
      for (const p of compareWithDcmdump(dcmdumpTree(tools.dcmdump!, f.path).elements, ours))
        problems.push(`${f.name}: ${p}`)
    }
    expect(problems).toEqual([])
  })

  test('every file is de-identified; dcmdump reads the output; no private group, no name survives', () => {
    const problems: string[] = []
    for (const f of corpus) {
      expect(() => dcmdumpTree(tools.dcmdump!, f.path), f.name).not.toThrow()
      try {
        const out = deidentify(new Uint8Array(readFileSync(f.path)), { key, file: f.name })
        const outPath = join(dir, `deid-${f.name}`)
        rmSync(outPath, { force: true })
        writeFileSync(outPath, out.bytes)
        const tree = dcmdumpTree(tools.dcmdump!, outPath)
        const privateTags = allTags(tree.elements).filter(
          (t) => Number.parseInt(t.slice(0, 4), 16) % 2,
        )
        if (privateTags.length) problems.push(`${f.name}: private elements kept: ${privateTags}`)
        const names = tree.elements.filter((e) => e.tag === '00100010').map((e) => e.value)
        if (names.some((n) => /Doe|Roe/.test(n)))
          problems.push(`${f.name}: patient name kept: ${names}`)
      } catch (error) {
        problems.push(`${f.name}: ${(error as Error).message}`)
      }
    }
    expect(problems).toEqual([])
  })

  test('the pixels of every image come through de-identification unchanged', async () => {
    const problems: string[] = []
    for (const f of corpus.filter((c) => c.image)) {
      const input = new Uint8Array(readFileSync(f.path))
      const before = await decodeDicom(input, f.name)
      const after = await decodeDicom(deidentify(input, { key, file: f.name }).bytes, f.name)
      const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
        a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i])
      if (!same(before.frames[0]!, after.frames[0]!)) problems.push(`${f.name}: pixels changed`)
    }
    expect(problems).toEqual([])
  })

  test('every file is read by reidentify, and a de-identified one gets its patient back', () => {
    const vault = openVault(join(dir, 'vault.db'))
    const problems: string[] = []
    for (const f of corpus) {
      const input = new Uint8Array(readFileSync(f.path))
      try {
        reidentify(input, { vault, file: f.name })
        const { bytes } = deidentify(input, { vault, file: f.name })
        const back = reidentify(bytes, { vault, file: f.name })
        const outPath = join(dir, `reid-${f.name}`)
        writeFileSync(outPath, back.bytes)
        const patientId = (path: string) =>
          dcmdumpTree(tools.dcmdump!, path).elements.find((e) => e.tag === '00100020')?.value
        const [original, restored] = [patientId(f.path), patientId(outPath)]
        if (!original || restored !== original)
          problems.push(`${f.name}: patient ID ${restored}, was ${original}`)
      } catch (error) {
        problems.push(`${f.name}: ${(error as Error).message}`)
      }
    }
    expect(problems).toEqual([])
  })
})

describe('a dataset without meta header that does not add up is refused with the reason and the byte offset', () => {
  // (0008,0060) CS "OT", then (0010,0010) claiming 400 bytes: implicit VR little endian, no meta
  const raw = Uint8Array.of(
    8,
    0,
    0x60,
    0,
    2,
    0,
    0,
    0,
    0x4f,
    0x54,
    0x10,
    0,
    0x10,
    0,
    0x90,
    1,
    0,
    0,
    0x44,
    0x6f,
    0x65,
    0x20,
  )
  test.each([
    ['deidentify', () => deidentify(raw, { key, file: 'raw.dcm' }), 'DEID_UNREADABLE_FILE'],
    [
      'reidentify',
      () =>
        reidentify(raw, {
          vault: { key, record() {}, original: () => undefined, size: () => 0, close() {} },
          file: 'raw.dcm',
        }),
      'REID_UNREADABLE_FILE',
    ],
  ] as const)('%s', (_, run, code) => {
    expect(run).toThrow(
      expect.objectContaining({ code, details: expect.objectContaining({ offset: 10 }) }),
    )
    expect(run).toThrow(
      /raw\.dcm: cannot (de|re)-identify: .*declares 400 bytes but only 4 remain.*\(byte 10\)/,
    )
  })
})

const TEXT_VRS = new Set('AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT'.split(' '))
const NUMBERS: Record<
  string,
  [number, 'getUint16' | 'getInt16' | 'getUint32' | 'getInt32' | 'getFloat32' | 'getFloat64']
> = {
  US: [2, 'getUint16'],
  SS: [2, 'getInt16'],
  UL: [4, 'getUint32'],
  SL: [4, 'getInt32'],
  FL: [4, 'getFloat32'],
  FD: [8, 'getFloat64'],
}

/** parseDataset's nodes in the shape compareWithDcmdump reads (dcmjs's `{ vr, Value }`). */
function asDataset(
  p: ParsedDicom,
  nodes: readonly DicomNode[],
  littleEndian: boolean,
): DcmjsDataset {
  const out: DcmjsDataset = {}
  const view = new DataView(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength)
  for (const n of nodes) {
    const tag = n.tag.toString(16).padStart(8, '0').toUpperCase()
    // an undefined-length UN is read as a sequence in implicit VR little endian (CP-246)
    const le = n.vr === 'UN' && n.items ? true : littleEndian
    if (n.items) {
      out[tag] = { vr: 'SQ', Value: n.items.map((item) => asDataset(p, item, le)) }
      continue
    }
    const raw = p.bytes.subarray(n.value, n.value + n.length)
    if (TEXT_VRS.has(n.vr)) {
      const text = raw.toString('latin1').replace(/[\0 ]+$/, '')
      out[tag] = { vr: n.vr, Value: text === '' ? [] : text.split('\\').map((v) => v.trim()) }
    } else if (NUMBERS[n.vr]) {
      const [size, read] = NUMBERS[n.vr]!
      const values: number[] = []
      for (let at = n.value; at + size <= n.value + n.length; at += size)
        values.push(view[read](at, littleEndian))
      out[tag] = { vr: n.vr, Value: values }
    } else
      out[tag] = {
        vr: n.vr,
        Value: [raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)],
      }
  }
  return out
}
