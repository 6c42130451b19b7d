/// <reference path="../types/dcmjs.d.ts" />
/// <reference path="../types/dicom-parser.d.ts" />
import { createHmac } from 'node:crypto'
import { parseWithCode } from '@btt/core'
import dcmjs from 'dcmjs'
import dicomParser from 'dicom-parser'
import { z } from 'zod'
import { ConnectorsError, type ConnectorsErrorCode } from '../errors.js'
import {
  type Action,
  actionTable,
  type OptionColumn,
  rowFor,
  type TableRow,
} from './actionTable.js'
import type { PseudonymVault } from './vault.js'

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${n}}$`))

export const deidentifyOptionsSchema = z.strictObject({
  /** Secret that keys UIDs, pseudonyms and date shifts; the vault's key when a vault is given. */
  key: z.instanceof(Uint8Array).optional(),
  /** Where pseudonyms are recorded for re-identification. */
  vault: z
    .custom<PseudonymVault>((v) => typeof v === 'object' && v !== null && 'record' in v)
    .optional(),
  retain: z
    .strictObject({
      uids: z.boolean().default(false),
      /** `full`: keep dates; `shifted`: move them by a per-patient offset; `none`: remove. */
      dates: z.enum(['none', 'full', 'shifted']).default('none'),
      device: z.boolean().default(false),
      institution: z.boolean().default(false),
      patientCharacteristics: z.boolean().default(false),
      /** Private elements declared safe: odd group, private creator, element byte within the block. */
      safePrivate: z
        .array(z.strictObject({ group: hex(4), creator: z.string().min(1), element: hex(2) }))
        .default([]),
    })
    .prefault({}),
  clean: z
    .strictObject({
      descriptors: z.boolean().default(false),
      structuredContent: z.boolean().default(false),
      graphics: z.boolean().default(false),
    })
    .prefault({}),
  /** A name for messages. */
  file: z.string().default('(buffer)'),
})

export type DeidentifyOptions = z.input<typeof deidentifyOptionsSchema>

export type DeidentifyResult = {
  bytes: Uint8Array
  /** Original → replacement, for every UID replaced. */
  uids: Map<string, string>
  patient: { pseudonym: string | undefined }
  /** Tags removed (8 hex digits), nested ones included. */
  removed: string[]
  /** Days dates were moved by (`retain.dates: 'shifted'`), else 0. */
  dateShiftDays: number
}

type Element = { vr: string; Value?: unknown[]; InlineBinary?: string }
type Dataset = Record<string, Element>
type Ctx = {
  o: z.output<typeof deidentifyOptionsSchema>
  key: Uint8Array
  uids: Map<string, string>
  removed: string[]
  patientId: string
  redact: RegExp | undefined
  shift: number
  pseudonym: string | undefined
}

const MAX_DEPTH = 32

// CID 7050 De-identification Methods (DCM)
const METHOD_CODES: Record<string, string> = {
  basic: '113100|Basic Application Confidentiality Profile',
  graphics: '113103|Clean Graphics Option',
  structured: '113104|Clean Structured Content Option',
  descriptors: '113105|Clean Descriptors Option',
  full: '113106|Retain Longitudinal Temporal Information Full Dates Option',
  shifted: '113107|Retain Longitudinal Temporal Information Modified Dates Option',
  patient: '113108|Retain Patient Characteristics Option',
  device: '113109|Retain Device Identity Option',
  uids: '113110|Retain UIDs Option',
  private: '113111|Retain Safe Private Option',
  institution: '113112|Retain Institution Identity Option',
}

/**
 * De-identifies a DICOM Part 10 file with the PS3.15 Annex E Basic Application Level
 * Confidentiality Profile and its options, following the standard's Table E.1-1
 * (`standard/ps3.15-table-e1-1.txt`). Recurses into sequences; removes private attributes unless
 * declared safe; replaces UIDs with keyed `2.25.` UIDs (HMAC-SHA256), the same for the same UID and
 * key, so a study stays consistent across files; replaces Patient ID / Name with a keyed pseudonym;
 * sets Patient Identity Removed, De-identification Method and its CID 7050 code sequence. Pixel data
 * is not touched: its bytes are copied through unchanged. With a vault, every pseudonym is recorded so results can be re-identified.
 *
 * Compound actions are resolved without the IOD's attribute types, always to the choice that keeps
 * any IOD valid: X/Z → Z, X/D and Z/D and X/Z/D → D, X/Z/U* → keep the sequence and replace the UIDs
 * inside. Dummy (D) values: PN `ANONYMIZED`, DA `19000101`, TM `000000`, UIDs mapped.
 *
 * @param bytes - the file.
 * @param options - `{ key | vault, retain?, clean?, file? }`.
 * @returns the de-identified file and what was done.
 * @throws {ConnectorsError} `DEID_*` when the file cannot be parsed or written.
 */
export function deidentify(bytes: Uint8Array, options: DeidentifyOptions): DeidentifyResult {
  const o = parseWithCode(
    deidentifyOptionsSchema,
    options,
    'de-identification options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const key = o.vault?.key ?? o.key
  if (!key)
    throw deidError(o.file, 'give a key or a vault (it keys UIDs and pseudonyms)', 'DEID_NO_KEY')
  if (bytes.byteLength < 132 || String.fromCharCode(...bytes.subarray(128, 132)) !== 'DICM')
    throw deidError(o.file, 'not a DICOM Part 10 file (no DICM marker)')
  // Fast path: dcmjs reads and writes only the header; the Pixel Data element is copied through
  // byte for byte. Elements after it (trailing padding, digital signatures) are X and are dropped.
  // Two independent parsers must agree before anything is trusted: a lenient parser can swallow the
  // rest of a malformed file into one value, and the patient's name with it.
  let strict: ReturnType<typeof dicomParser.parseDicom>
  try {
    strict = dicomParser.parseDicom(bytes)
  } catch (error) {
    const reason =
      error instanceof Error ? error.message : typeof error === 'string' ? error : 'malformed'
    throw deidError(o.file, `malformed (${reason})`, 'DEID_UNREADABLE_FILE', error)
  }
  const pixel = locatePixelData(bytes, strict)
  const end = pixel ? pixel.start : bytes.byteLength
  let dict: InstanceType<typeof dcmjs.data.DicomDict>
  try {
    dict = dcmjs.data.DicomMessage.readFile(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + end) as ArrayBuffer,
    )
  } catch (error) {
    throw deidError(o.file, (error as Error).message || 'malformed', 'DEID_UNREADABLE_FILE', error)
  }
  const ds = dict.dict as Dataset
  const ours = Object.keys(ds).map((t) => t.toLowerCase())
  const theirs = Object.keys(strict.elements)
    .map((t) => t.slice(1))
    .filter((t) => !t.startsWith('0002') && (!pixel || t < '7fe00010'))
  if (ours.sort().join() !== theirs.sort().join())
    throw deidError(
      o.file,
      'malformed: its elements cannot be read unambiguously (the parsers disagree)',
    )
  const patientId = text(ds['00100020'])
  const names = personName(ds['00100010'])
  const words = [...names.split(/[\^ =]+/), patientId].filter((w) => w && w.length >= 3)
  const ctx: Ctx = {
    o,
    key,
    uids: new Map(),
    removed: [],
    patientId,
    redact: words.length ? new RegExp(words.map(escapeRegExp).join('|'), 'gi') : undefined,
    shift:
      o.retain.dates === 'shifted' ? -(1 + (hmacInt(key, `date-shift:${patientId}`) % 3650)) : 0,
    pseudonym: undefined,
  }
  try {
    processDataset(ds, ctx, 0)
  } catch (error) {
    if (error instanceof ConnectorsError) throw error
    throw deidError(o.file, (error as Error).message, 'DEID_UNREADABLE_FILE', error)
  }
  const meta = dict.meta as Dataset
  const sop = text(ds['00080018'])
  if (meta['00020003'] && sop) meta['00020003'] = { vr: 'UI', Value: [sop] }
  addMethod(ds, o)
  let out: Uint8Array
  try {
    const header = new Uint8Array(dict.write())
    if (pixel) {
      out = new Uint8Array(header.length + (pixel.end - pixel.start))
      out.set(header)
      out.set(bytes.subarray(pixel.start, pixel.end), header.length)
      ctx.removed.push(...pixel.after)
    } else out = header
  } catch (error) {
    throw deidError(o.file, `cannot write: ${(error as Error).message}`, 'DEID_WRITE_FAILED', error)
  }
  if (o.vault) for (const [original, pseudo] of ctx.uids) o.vault.record('uid', pseudo, original)
  return {
    bytes: out,
    uids: ctx.uids,
    patient: { pseudonym: ctx.pseudonym },
    removed: ctx.removed,
    dateShiftDays: ctx.shift,
  }
}

const EXPLICIT_LE = '1.2.840.10008.1.2.1'
const NATIVE_OTHER = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99'])
const LONG_HEADER_VR = /^(OB|OW|OF|OD|OL|OV|SQ|SV|UC|UN|UR|UT|UV)$/

/**
 * Where the top-level Pixel Data element lies (its header included), for files in explicit VR
 * little endian or an encapsulated syntax (also explicit VR LE); undefined otherwise, and then the
 * whole file goes through dcmjs.
 */
function locatePixelData(
  bytes: Uint8Array,
  ds: ReturnType<typeof dicomParser.parseDicom>,
): { start: number; end: number; after: string[] } | undefined {
  const ts = ds.string('x00020010')?.trim() ?? ''
  if (ts !== EXPLICIT_LE && (NATIVE_OTHER.has(ts) || !ts.startsWith('1.2.840.10008.1.2.')))
    return undefined
  const el = ds.elements.x7fe00010
  if (!el) return undefined
  const start = el.dataOffset - 12 // explicit VR OB/OW: tag 4 + VR 2 + reserved 2 + length 4
  if (start < 132 || bytes[start] !== 0xe0 || bytes[start + 1] !== 0x7f) return undefined
  const after = Object.values(ds.elements)
    .filter((e) => e.tag > 'x7fe00010' && e.dataOffset > el.dataOffset)
    .sort((a, b) => a.dataOffset - b.dataOffset)
  const next = after[0]
  const end = next
    ? next.dataOffset - (next.vr && LONG_HEADER_VR.test(next.vr) ? 12 : 8)
    : bytes.byteLength
  return { start, end, after: after.map((e) => e.tag.slice(1)) }
}

const OPTION_OF: Record<OptionColumn, (o: Ctx['o']) => boolean> = {
  uid: (o) => o.retain.uids,
  dev: (o) => o.retain.device,
  inst: (o) => o.retain.institution,
  pat: (o) => o.retain.patientCharacteristics,
  full: (o) => o.retain.dates === 'full',
  mod: (o) => o.retain.dates === 'shifted',
  desc: (o) => o.clean.descriptors,
  struct: (o) => o.clean.structuredContent,
  graph: (o) => o.clean.graphics,
  priv: () => false, // handled with the safe-private list
}

/** The action for a row under the chosen options: an enabled option's K, then C, then X; else Basic. */
function resolve(row: TableRow, o: Ctx['o']): { action: Action; column?: OptionColumn } {
  let best: { action: Action; column?: OptionColumn } | undefined
  const rank = { K: 3, C: 2, X: 1 } as const
  for (const [column, action] of Object.entries(row.options) as [OptionColumn, 'K' | 'C' | 'X'][])
    if (OPTION_OF[column](o) && (!best || rank[action] > rank[best.action as 'K' | 'C' | 'X']))
      best = { action, column }
  return best ?? { action: row.basic }
}

function processDataset(ds: Dataset, ctx: Ctx, depth: number) {
  if (depth > MAX_DEPTH)
    throw deidError(ctx.o.file, `sequences nested deeper than ${MAX_DEPTH}`, 'DEID_TOO_DEEP')
  const table = actionTable()
  for (const tag of Object.keys(ds)) {
    const el = ds[tag]!
    const group = Number.parseInt(tag.slice(0, 4), 16)
    if (group % 2 === 1) {
      if (!safePrivate(ds, tag, ctx)) {
        delete ds[tag]
        ctx.removed.push(tag)
      }
      continue
    }
    const row = rowFor(table, tag.toLowerCase())
    if (!row) {
      if (el.vr === 'SQ') recurse(el, ctx, depth)
      continue
    }
    const { action, column } = resolve(row, ctx.o)
    apply(ds, tag, el, action, column, ctx, depth)
  }
}

function recurse(el: Element, ctx: Ctx, depth: number) {
  for (const item of (el.Value ?? []) as Dataset[])
    if (item && typeof item === 'object') processDataset(item, ctx, depth + 1)
}

function apply(
  ds: Dataset,
  tag: string,
  el: Element,
  action: Action,
  column: OptionColumn | undefined,
  ctx: Ctx,
  depth: number,
) {
  const sq = el.vr === 'SQ'
  switch (action) {
    case 'K':
      if (sq) recurse(el, ctx, depth)
      return
    case 'X':
      delete ds[tag]
      ctx.removed.push(tag)
      return
    case 'Z':
    case 'X/Z':
      if (sq) el.Value = []
      else if (tag === '00100020' || tag === '00100010') pseudonymise(tag, el, ctx)
      else el.Value = []
      return
    case 'D':
    case 'X/D':
    case 'Z/D':
    case 'X/Z/D':
      if (sq) recurse(el, ctx, depth)
      else dummy(tag, el, ctx)
      return
    case 'X/Z/U*':
      if (sq) recurse(el, ctx, depth)
      else el.Value = (el.Value ?? []).map((v) => mapUid(String(v), ctx))
      return
    case 'U':
      if (el.vr === 'UI') el.Value = (el.Value ?? []).map((v) => mapUid(String(v), ctx))
      else if (sq) recurse(el, ctx, depth)
      return
    case 'C':
      if (column === 'mod') shiftDates(el, ctx)
      else if (column === 'struct' || sq) recurse(el, ctx, depth)
      else if (column === 'desc' || column === 'pat') redact(el, ctx)
      // graphics: kept as declared clean by the caller
      return
  }
}

function pseudonymise(tag: string, el: Element, ctx: Ctx) {
  const isId = tag === '00100020'
  const original = isId ? ctx.patientId : personName(el)
  if (!original) {
    el.Value = []
    return
  }
  ctx.pseudonym ??= `BTT-${hmacHex(ctx.key, `patient:${ctx.patientId || original}`)
    .slice(0, 16)
    .toUpperCase()}`
  // the vault keys on the pseudonym, so the name's differs from the ID's
  const value = isId ? ctx.pseudonym : `${ctx.pseudonym}^PSEUDONYM`
  el.Value = el.vr === 'PN' ? [{ Alphabetic: value }] : [value]
  ctx.o.vault?.record(isId ? 'patient-id' : 'patient-name', value, original)
}

function dummy(tag: string, el: Element, ctx: Ctx) {
  switch (el.vr) {
    case 'UI':
      el.Value = (el.Value ?? []).map((v) => mapUid(String(v), ctx))
      return
    case 'PN':
      if (tag === '00100010') return pseudonymise(tag, el, ctx)
      el.Value = [{ Alphabetic: 'ANONYMIZED' }]
      return
    case 'DA':
      el.Value = ['19000101']
      return
    case 'TM':
      el.Value = ['000000']
      return
    case 'DT':
      el.Value = ['19000101000000']
      return
    case 'IS':
    case 'DS':
      el.Value = ['0']
      return
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD':
      el.Value = [0]
      return
    case 'OB':
    case 'OW':
    case 'UN':
    case 'OD':
    case 'OF':
    case 'OL':
      el.Value = []
      return
    default:
      el.Value = ['ANONYMIZED']
  }
}

function mapUid(uid: string, ctx: Ctx): string {
  const clean = uid.replace(/\0+$/, '').trim()
  if (!clean) return clean
  let mapped = ctx.uids.get(clean)
  if (!mapped) {
    mapped = `2.25.${BigInt(`0x${hmacHex(ctx.key, `uid:${clean}`).slice(0, 32)}`).toString()}`
    ctx.uids.set(clean, mapped)
  }
  return mapped
}

function shiftDates(el: Element, ctx: Ctx) {
  if (el.vr !== 'DA' && el.vr !== 'DT') return // times are kept
  el.Value = (el.Value ?? []).map((v) => {
    const s = String(v)
    const m = /^(\d{4})(\d{2})(\d{2})(.*)$/.exec(s)
    if (!m) return s
    const d = new Date(
      Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + ctx.shift * 86_400_000,
    )
    const pad = (n: number, w = 2) => String(n).padStart(w, '0')
    return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${m[4]}`
  })
}

function redact(el: Element, ctx: Ctx) {
  if (!ctx.redact || el.vr === 'SQ') return
  el.Value = (el.Value ?? []).map((v) =>
    typeof v === 'string' ? v.replace(ctx.redact!, '[REDACTED]') : v,
  )
}

/** Whether a private element is kept: its block's creator and element byte are on the safe list. */
function safePrivate(ds: Dataset, tag: string, ctx: Ctx): boolean {
  const rules = ctx.o.retain.safePrivate
  if (!rules.length) return false
  const group = tag.slice(0, 4).toLowerCase()
  const element = Number.parseInt(tag.slice(4), 16)
  if (element >= 0x10 && element <= 0xff) {
    const creator = text(ds[tag])
    return rules.some((r) => r.group.toLowerCase() === group && r.creator === creator)
  }
  const block = (element >> 8) & 0xff
  const creator = text(ds[`${group}00${block.toString(16).padStart(2, '0')}`])
  const low = (element & 0xff).toString(16).padStart(2, '0')
  return rules.some(
    (r) =>
      r.group.toLowerCase() === group && r.creator === creator && r.element.toLowerCase() === low,
  )
}

function addMethod(ds: Dataset, o: Ctx['o']) {
  const used = ['basic']
  if (o.clean.graphics) used.push('graphics')
  if (o.clean.structuredContent) used.push('structured')
  if (o.clean.descriptors) used.push('descriptors')
  if (o.retain.dates === 'full') used.push('full')
  if (o.retain.dates === 'shifted') used.push('shifted')
  if (o.retain.patientCharacteristics) used.push('patient')
  if (o.retain.device) used.push('device')
  if (o.retain.uids) used.push('uids')
  if (o.retain.safePrivate.length) used.push('private')
  if (o.retain.institution) used.push('institution')
  ds['00120062'] = { vr: 'CS', Value: ['YES'] }
  ds['00120063'] = { vr: 'LO', Value: ['BTT SDK PS3.15 E.1 Basic Profile'] }
  ds['00120064'] = {
    vr: 'SQ',
    Value: used.map((k) => {
      const [code, meaning] = METHOD_CODES[k]!.split('|') as [string, string]
      return {
        '00080100': { vr: 'SH', Value: [code] },
        '00080102': { vr: 'SH', Value: ['DCM'] },
        '00080104': { vr: 'LO', Value: [meaning] },
      }
    }),
  }
  ds['00280303'] = {
    vr: 'CS',
    Value: [
      o.retain.dates === 'full'
        ? 'UNMODIFIED'
        : o.retain.dates === 'shifted'
          ? 'MODIFIED'
          : 'REMOVED',
    ],
  }
}

function text(el: Element | undefined): string {
  const v = el?.Value?.[0]
  return typeof v === 'string' ? v.trim() : ''
}
function personName(el: Element | undefined): string {
  const v = el?.Value?.[0] as { Alphabetic?: string } | string | undefined
  return (typeof v === 'string' ? v : (v?.Alphabetic ?? '')).trim()
}
function hmacHex(key: Uint8Array, message: string): string {
  return createHmac('sha256', key).update(message).digest('hex')
}
function hmacInt(key: Uint8Array, message: string): number {
  return Number.parseInt(hmacHex(key, message).slice(0, 8), 16)
}
function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function deidError(
  file: string,
  reason: string,
  code: ConnectorsErrorCode = 'DEID_UNREADABLE_FILE',
  cause?: unknown,
): ConnectorsError {
  return new ConnectorsError(code, `${file}: cannot de-identify: ${reason}.`, {
    cause,
    details: { file, reason },
  })
}
