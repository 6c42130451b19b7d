import { TABLE_EDITION } from './actionTable.js'
import { RECURSE } from './edit.js'
import type { DeidentifyConfig } from './options.js'
import type { OutElement } from './walkDataset.js'

/** CID 7050 De-identification Methods (DCM): code and meaning of the profile and each option. */
export const METHOD_CODES = {
  basic: ['113100', 'Basic Application Confidentiality Profile'],
  graphics: ['113103', 'Clean Graphics Option'],
  structured: ['113104', 'Clean Structured Content Option'],
  descriptors: ['113105', 'Clean Descriptors Option'],
  full: ['113106', 'Retain Longitudinal Temporal Information Full Dates Option'],
  shifted: ['113107', 'Retain Longitudinal Temporal Information Modified Dates Option'],
  patient: ['113108', 'Retain Patient Characteristics Option'],
  device: ['113109', 'Retain Device Identity Option'],
  uids: ['113110', 'Retain UIDs Option'],
  private: ['113111', 'Retain Safe Private Option'],
  institution: ['113112', 'Retain Institution Identity Option'],
} as const

/** De-identification Method (0012,0063): names the standard's edition the table came from. */
export const METHOD_TEXT = `DICOM PS3.15 ${TABLE_EDITION} Table E.1-1 (BTT SDK)`

const STAMP_TAGS = new Set([0x00120062, 0x00120063, 0x00120064, 0x00280303])

/** The CID 7050 codes of the profile and the options used, in the standard's order. */
export function methodCodes(o: DeidentifyConfig): (keyof typeof METHOD_CODES)[] {
  const used: (keyof typeof METHOD_CODES)[] = ['basic']
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
  return used
}

/**
 * Stamps the top-level output with Patient Identity Removed (0012,0062) YES, De-identification
 * Method (0012,0063), De-identification Method Code Sequence (0012,0064, CID 7050) and Longitudinal
 * Temporal Information Modified (0028,0303); any of these the input had are replaced.
 */
export function methodStamp(out: OutElement[], o: DeidentifyConfig): OutElement[] {
  const str = (tag: number, vr: string, value: string): OutElement => ({
    tag,
    vr,
    edit: { kind: 'strings', values: [value] },
  })
  const items = methodCodes(o).map((k) => [
    str(0x00080100, 'SH', METHOD_CODES[k][0]),
    str(0x00080102, 'SH', 'DCM'),
    str(0x00080104, 'LO', METHOD_CODES[k][1]),
  ])
  const dates = o.retain.dates
  const stamp: OutElement[] = [
    str(0x00120062, 'CS', 'YES'),
    str(0x00120063, 'LO', METHOD_TEXT),
    { tag: 0x00120064, vr: 'SQ', edit: RECURSE, items },
    str(
      0x00280303,
      'CS',
      dates === 'full' ? 'UNMODIFIED' : dates === 'shifted' ? 'MODIFIED' : 'REMOVED',
    ),
  ]
  const kept = out.filter((e) => !STAMP_TAGS.has(e.tag))
  const merged: OutElement[] = []
  let i = 0
  for (const s of stamp) {
    while (i < kept.length && kept[i]!.tag < s.tag) merged.push(kept[i++]!)
    merged.push(s)
  }
  while (i < kept.length) merged.push(kept[i++]!)
  return merged
}
