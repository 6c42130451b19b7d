/// <reference path="../../types/dcmjs.d.ts" />
import assert from 'node:assert'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import dcmjs from 'dcmjs'
import { transcodeDicom } from '../../dicom/transcodeDicom.js'
import { writeDicom } from '../writeDicom.js'
import { documentDump, imageDump } from './corpusDumps.js'
import { cp246File } from './cp246File.js'

/** Paths of the dcmtk tools the corpus is made with (from `tool(name, 'dcmtk')`). */
export type CorpusTools = {
  dump2dcm: string
  dcmconv: string
  dcmcrle: string
  dcmcjpeg: string
  dcmcjpls: string
}

/** One generated file and what it holds. */
export type CorpusFile = {
  name: string
  path: string
  /** Holds an image compute can decode (an image pixel module and pixel data). */
  image: boolean
  transferSyntaxUid: string
  /** `dataset`: stored without preamble and file meta header; `no-preamble`: the meta header at byte 0. */
  form: 'part10' | 'no-preamble' | 'dataset'
  maker: string
}

const IMPLICIT = '1.2.840.10008.1.2'
const EXPLICIT = '1.2.840.10008.1.2.1'
const BIG = '1.2.840.10008.1.2.2'
const DEFLATED = '1.2.840.10008.1.2.1.99'

/** Transfer syntaxes written with dcmjs-codecs (dcmtk 3.6.7 has no encoder for them). */
const CODEC_SYNTAXES = [
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.4.110',
  '1.2.840.10008.1.2.4.112',
  '1.2.840.10008.1.2.4.201',
  '1.2.840.10008.1.2.4.202',
  '1.2.840.10008.1.2.4.203',
]

/**
 * Writes the read corpus into `dir`: dcmtk `dump2dcm` datasets (with and without file meta
 * header, implicit and explicit VR, both byte orders, defined and undefined lengths, nested
 * private sequences of undefined length in groups 0001 and 0009), `dcmconv` deflate, `dcmcrle`,
 * `dcmcjpeg` and `dcmcjpls` encapsulated files, the remaining compressed syntaxes compute claims
 * through dcmjs-codecs, and files written by dcmjs.
 *
 * @param dir - an empty temporary folder.
 * @param tools - the dcmtk tools' paths.
 * @returns the files, one entry each.
 */
export async function buildCorpus(dir: string, tools: CorpusTools): Promise<CorpusFile[]> {
  const files: CorpusFile[] = []
  const make: Maker = {
    dir,
    tools,
    add: (name, image, transferSyntaxUid, maker, form = 'part10') =>
      files.push({ name, path: join(dir, name), image, transferSyntaxUid, form, maker }),
    // dump2dcm exits 0 and writes nothing when the dump has an error: check the output exists
    run: (tool, args) => {
      const out = execFileSync(tool, args, { encoding: 'utf8', stdio: 'pipe' })
      if (!existsSync(args.at(-1)!)) assert.fail(`${tool} ${args.join(' ')} wrote nothing: ${out}`)
    },
  }
  dumpedFiles(make)
  // trailing zero padding after the last element, as some writers leave it (dcmtk ignores it)
  for (const [source, name, uid, form] of [
    ['image16-explicit-defined.dcm', 'image16-explicit-padded.dcm', EXPLICIT, 'part10'],
    ['document-big-nometa.dcm', 'document-big-nometa-padded.dcm', BIG, 'dataset'],
  ] as const) {
    writeFileSync(
      join(dir, name),
      Buffer.concat([readFileSync(join(dir, source)), Buffer.alloc(16)]),
    )
    make.add(name, source.startsWith('image'), uid, `${source} + 16 zero bytes`, form)
  }
  // no File Meta Information Group Length (0002,0000): dcmtk reads the meta header by its group
  const explicit = readFileSync(join(dir, 'image16-explicit-defined.dcm'))
  writeFileSync(
    join(dir, 'image16-explicit-no-group-length.dcm'),
    Buffer.concat([explicit.subarray(0, 132), explicit.subarray(144)]),
  )
  make.add('image16-explicit-no-group-length.dcm', true, EXPLICIT, 'without (0002,0000)')
  writeFileSync(join(dir, 'image16-explicit-no-preamble.dcm'), explicit.subarray(132))
  make.add(
    'image16-explicit-no-preamble.dcm',
    true,
    EXPLICIT,
    'meta header at byte 0',
    'no-preamble',
  )
  writeFileSync(join(dir, 'document-un-sequences.dcm'), cp246File('1.2.3.4.5.6.7.400'))
  make.add('document-un-sequences.dcm', false, EXPLICIT, 'bytes (CP-246 UN sequences)')
  await encapsulatedFiles(make)
  for (const [uid, label] of [
    [EXPLICIT, 'explicit'],
    [IMPLICIT, 'implicit'],
    [BIG, 'big'],
  ] as const) {
    const name = `dcmjs-${label}.dcm`
    writeFileSync(join(dir, name), dcmjsImage(uid))
    make.add(name, true, uid, 'dcmjs')
  }
  return files
}

type Maker = {
  dir: string
  tools: CorpusTools
  add(
    name: string,
    image: boolean,
    transferSyntaxUid: string,
    maker: string,
    form?: CorpusFile['form'],
  ): void
  run(tool: string, args: string[]): void
}

/** dump2dcm: each dump in each uncompressed syntax, lengths defined and undefined, with and without meta. */
function dumpedFiles({ dir, tools, add, run }: Maker) {
  const image16 = imageDump({ rows: 16, columns: 16, bits: 16, sopInstanceUid: '1.2.3.4.5.6.7.16' })
  const image8 = imageDump({ rows: 16, columns: 16, bits: 8, sopInstanceUid: '1.2.3.4.5.6.7.8' })
  writeFileSync(join(dir, 'image16.dump'), image16)
  writeFileSync(join(dir, 'image8.dump'), image8)
  writeFileSync(join(dir, 'document.dump'), documentDump('1.2.3.4.5.6.7.300'))
  const dump = (args: string[], source: string, name: string) =>
    run(tools.dump2dcm, [...args, join(dir, source), join(dir, name)])
  const syntaxes = [
    ['+ti', IMPLICIT, 'implicit'],
    ['+te', EXPLICIT, 'explicit'],
    ['+tb', BIG, 'big'],
  ] as const
  for (const [flag, uid, label] of syntaxes) {
    for (const [lengths, suffix] of [
      ['+e', 'defined'],
      ['-e', 'undefined'],
    ] as const) {
      dump([flag, lengths], 'image16.dump', `image16-${label}-${suffix}.dcm`)
      add(`image16-${label}-${suffix}.dcm`, true, uid, `dump2dcm ${flag} ${lengths}`)
    }
    dump(['-F', flag, '-e'], 'image16.dump', `image16-${label}-nometa.dcm`)
    add(`image16-${label}-nometa.dcm`, true, uid, `dump2dcm -F ${flag} -e`, 'dataset')
    dump(['-F', flag, '-e'], 'document.dump', `document-${label}-nometa.dcm`)
    add(`document-${label}-nometa.dcm`, false, uid, `dump2dcm -F ${flag} -e`, 'dataset')
    dump([flag, '-e'], 'document.dump', `document-${label}.dcm`)
    add(`document-${label}.dcm`, false, uid, `dump2dcm ${flag} -e`)
  }
  dump(['+te'], 'image8.dump', 'image8-explicit.dcm')
  add('image8-explicit.dcm', true, EXPLICIT, 'dump2dcm +te')
}

/** Deflated and encapsulated files: dcmconv, dcmcrle, dcmcjpeg, dcmcjpls, then dcmjs-codecs. */
async function encapsulatedFiles({ dir, tools, add, run }: Maker) {
  const base = join(dir, 'image16-explicit-defined.dcm')
  run(tools.dcmconv, ['+td', base, join(dir, 'image16-deflated.dcm')])
  add('image16-deflated.dcm', true, DEFLATED, 'dcmconv +td')
  const image8 = join(dir, 'image8-explicit.dcm')
  const encoders: [string, string, string[], string, string][] = [
    ['dcmcrle', tools.dcmcrle, [], '1.2.840.10008.1.2.5', base],
    ['dcmcjpeg', tools.dcmcjpeg, ['+eb'], '1.2.840.10008.1.2.4.50', image8],
    ['dcmcjpeg', tools.dcmcjpeg, ['+el'], '1.2.840.10008.1.2.4.57', base],
    ['dcmcjpeg', tools.dcmcjpeg, ['+e1'], '1.2.840.10008.1.2.4.70', base],
    ['dcmcjpls', tools.dcmcjpls, ['+el'], '1.2.840.10008.1.2.4.80', base],
    ['dcmcjpls', tools.dcmcjpls, ['+en'], '1.2.840.10008.1.2.4.81', base],
  ]
  for (const [label, path, args, uid, input] of encoders) {
    const name = `image-${uid}.dcm`
    run(path, [...args, input, join(dir, name)])
    add(name, true, uid, `${label} ${args.join(' ')}`.trim())
  }
  const explicitBytes = new Uint8Array(readFileSync(base))
  for (const uid of CODEC_SYNTAXES) {
    const name = `image-${uid}.dcm`
    writeFileSync(join(dir, name), await transcodeDicom(explicitBytes, uid, name))
    add(name, true, uid, 'dcmjs-codecs')
  }
}

/** A 16-bit CT image with a nested sequence, written by dcmjs in `transferSyntaxUid`. */
function dcmjsImage(transferSyntaxUid: string): Uint8Array {
  const frame = new Uint16Array(64).map((_, i) => i * 50)
  const bytes = writeDicom({
    frames: [frame],
    rows: 8,
    columns: 8,
    modality: 'CT',
    sopInstanceUid: `1.2.3.4.5.6.7.9${transferSyntaxUid.length}`,
    extra: {
      ReferencedImageSequence: [
        {
          ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
          ReferencedSOPInstanceUID: '1.2.3.4.5.6.7.11',
        },
      ],
      ImageComments: 'written by dcmjs',
    },
  })
  if (transferSyntaxUid === EXPLICIT) return bytes
  const dict = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  )
  ;(dict.meta as Record<string, { vr: string; Value: unknown[] }>)['00020010'] = {
    vr: 'UI',
    Value: [transferSyntaxUid],
  }
  return new Uint8Array(dict.write())
}
