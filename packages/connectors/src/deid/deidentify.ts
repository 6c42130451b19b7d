import { parseWith } from '@btt/core/errors'
import { ConnectorsError } from '../errors.js'
import { createContext, createSharedCache, type SharedCache } from './context.js'
import { mapUid } from './mapUid.js'
import { methodStamp } from './methodStamp.js'
import {
  type DeidentifyConfig,
  type DeidentifyOptions,
  deidentifyOptionsSchema,
} from './options.js'
import { type DicomNode, type ParsedDicom, parseDataset } from './parseDataset.js'
import { readablePart10 } from './readablePart10.js'
import { walkDataset } from './walkDataset.js'
import { writeOutput } from './writeOutput.js'

export { type DeidentifyOptions, deidentifyOptionsSchema } from './options.js'

export type DeidentifyResult = {
  /** The de-identified file (joined from `parts` on first use). */
  bytes: Uint8Array
  /** The file in parts, Pixel Data as a view of the input: write them in order, no copy made. */
  parts: readonly Uint8Array[]
  /** Original → replacement, for every UID replaced. */
  uids: Map<string, string>
  patient: { pseudonym: string | undefined }
  /** Tags removed (8 lower-case hex digits), nested ones included. */
  removed: string[]
  /** Days dates were moved by (`retain.dates: 'shifted'`), else 0. */
  dateShiftDays: number
}
export type DeidentifyErrorType = ConnectorsError

const MAX_DEPTH = 32

/**
 * De-identifies a DICOM Part 10 file with the PS3.15 Annex E Basic Application Level
 * Confidentiality Profile and its options, following Table E.1-1 of the standard's 2024b edition
 * (`standard/ps3.15-2024b-table-e1-1.json`), in steps: parse (`parseDataset`, one strict
 * pass), decide each element (`walkDataset`: table action under the options, safe private
 * list, a defence-in-depth sweep of dates, times, names and UIDs the table does not list), stamp
 * the method (`methodStamp`, CID 7050) and write (`writeOutput`; Pixel Data copied byte
 * for byte). UIDs become keyed `2.25.` UIDs (HMAC-SHA256), Patient ID and Name a keyed pseudonym,
 * the same for the same input and key, so a study stays consistent across files; with a vault,
 * every pseudonym is recorded so results can be re-identified.
 *
 * @param bytes - the file.
 * @param options - `{ key | vault, retain?, clean?, file? }`.
 * @returns the de-identified file and what was done.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT`, `DEID_NO_KEY`, `DEID_UNREADABLE_FILE`,
 *   `DEID_TOO_DEEP`, `DEID_WRITE_FAILED`.
 * @example
 * ```ts
 * import { deidentify } from '@btt/connectors'
 * const { bytes } = deidentify(file, { key: new TextEncoder().encode('secret') })
 * ```
 */
export function deidentify(bytes: Uint8Array, options: DeidentifyOptions): DeidentifyResult {
  return createDeidentifier(options)(bytes)
}

/** De-identifies one file with the options a {@link createDeidentifier} checked once. */
export type Deidentifier = (bytes: Uint8Array, file?: string) => DeidentifyResult

/**
 * {@link deidentify} for a batch: the options are checked once, and what repeats from file to
 * file (the table's resolved actions, the keyed UIDs and pseudonyms of a study) is computed once.
 *
 * @param options - as {@link deidentify}'s; `file` is the default name for messages.
 * @returns a function of the file's bytes and, optionally, its name.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT`, `DEID_NO_KEY` (here); the function
 *   throws what {@link deidentify} throws for a file.
 * @example
 * ```ts
 * import { createDeidentifier } from '@btt/connectors'
 * const deid = createDeidentifier({ key: new TextEncoder().encode('secret') })
 * const { bytes } = deid(file, 'a.dcm')
 * ```
 */
export function createDeidentifier(options: DeidentifyOptions): Deidentifier {
  const o = parseWith(
    deidentifyOptionsSchema,
    options,
    'de-identification options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const key = o.vault?.key ?? o.key
  if (!key)
    throw new ConnectorsError(
      'DEID_NO_KEY',
      `${o.file}: cannot de-identify: give a key or a vault (it keys UIDs and pseudonyms).`,
      { details: { file: o.file } },
    )
  const shared = createSharedCache()
  return (bytes, file = o.file) => {
    if (!(bytes instanceof Uint8Array) || typeof file !== 'string')
      throw new ConnectorsError(
        'CONNECTORS_INVALID_ARGUMENT',
        `${String(file)}: the file must be a Uint8Array and its name a string.`,
        { details: { file: String(file) } },
      )
    return deidentifyOne(bytes, file === o.file ? o : { ...o, file }, key, shared)
  }
}

function deidentifyOne(
  bytes: Uint8Array,
  o: DeidentifyConfig,
  key: Uint8Array,
  shared: SharedCache,
): DeidentifyResult {
  // what dcmtk reads: a dataset without preamble or meta header gets one (issue 11)
  bytes = readablePart10(bytes, {
    file: o.file,
    code: 'DEID_UNREADABLE_FILE',
    verb: 'de-identify',
    check: false,
  })
  const p = parseDataset(bytes, { file: o.file, maxDepth: MAX_DEPTH })
  const ctx = createContext(
    o,
    key,
    {
      id: text(p, find(p.dataset, 0x00100020)),
      name: text(p, find(p.dataset, 0x00100010)).split('=')[0] ?? '',
    },
    shared,
  )
  const dataset = methodStamp(walkDataset(p.dataset, p, ctx), o)
  const sop = text(p, find(p.meta, 0x00020003))
  const parts = writeOutput(p, dataset, {
    mediaStorageSopInstanceUid: sop && !o.retain.uids ? mapUid(sop, ctx) : undefined,
    file: o.file,
  })
  if (o.vault) {
    for (const [original, pseudo] of ctx.uids) o.vault.record('uid', pseudo, original)
    o.vault.flush?.() // before the file is handed out: its pseudonyms are on disk
  }
  let joined: Uint8Array | undefined
  return {
    get bytes() {
      joined ??= parts.length === 1 ? parts[0]! : Buffer.concat(parts)
      return joined
    },
    parts,
    uids: ctx.uids,
    patient: { pseudonym: ctx.pseudonym },
    removed: ctx.removed,
    dateShiftDays: ctx.shift,
  }
}

function find(nodes: DicomNode[], tag: number): DicomNode | undefined {
  return nodes.find((n) => n.tag === tag)
}
function text(p: ParsedDicom, n: DicomNode | undefined): string {
  return n
    ? p.bytes
        .toString('latin1', n.value, n.value + n.length)
        .replace(/[\0 ]+$/, '')
        .trim()
    : ''
}
