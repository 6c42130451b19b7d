import { describe, expect, test } from 'vitest'
import {
  ACCEPTED_TRANSFER_SYNTAXES,
  negotiatePresentationContext,
  VERIFICATION_SOP_CLASS,
} from './negotiatePresentationContext.js'
import {
  RETIRED_STORAGE_SOP_CLASSES,
  STORAGE_SOP_CLASSES,
  STORAGE_SOP_CLASSES_EDITION,
} from './storageSopClasses.js'

const EXPLICIT = '1.2.840.10008.1.2.1'
const IMPLICIT = '1.2.840.10008.1.2'
const UID = /^[12](\.(0|[1-9][0-9]*))+$/

describe('the storage SOP class table (PS3.4 Table B.5-1)', () => {
  test('names its edition; every row is a distinct valid UID of a storage class', () => {
    expect(STORAGE_SOP_CLASSES_EDITION).toBe('2024b')
    const all = [...STORAGE_SOP_CLASSES, ...RETIRED_STORAGE_SOP_CLASSES]
    for (const [uid, name] of all) {
      expect(uid, name).toMatch(UID)
      expect(uid.length, name).toBeLessThanOrEqual(64)
    }
    expect(new Set(all.map(([uid]) => uid)).size).toBe(all.length)
    expect(STORAGE_SOP_CLASSES).toHaveLength(165)
    // the media-only DICOMDIR and the non-patient objects (Table GG.3-1) are not in it
    const uids = new Set(STORAGE_SOP_CLASSES.map(([uid]) => uid))
    expect(uids.has('1.2.840.10008.1.3.10')).toBe(false)
    expect(uids.has('1.2.840.10008.5.1.4.38.1')).toBe(false)
  })

  test('holds what BTT writes and what a PACS sends, beyond dcmjs-dimse’s list', () => {
    const uids = new Map(STORAGE_SOP_CLASSES.map(([uid, name]) => [uid, name]))
    expect(uids.get('1.2.840.10008.5.1.4.1.1.66.4')).toBe('Segmentation Storage')
    expect(uids.get('1.2.840.10008.5.1.4.1.1.88.33')).toBe('Comprehensive SR Storage')
    expect(uids.get('1.2.840.10008.5.1.4.1.1.88.22')).toBe('Enhanced SR Storage')
    expect(uids.get('1.2.840.10008.5.1.4.1.1.88.59')).toBe('Key Object Selection Document Storage')
    expect(uids.get('1.2.840.10008.5.1.4.1.1.7')).toBe('Secondary Capture Image Storage')
    expect(uids.get('1.2.840.10008.5.1.4.1.1.1.1')).toBe(
      'Digital X-Ray Image Storage - For Presentation',
    )
    expect(uids.get('1.2.840.10008.5.1.4.1.1.1')).toBe('Computed Radiography Image Storage')
    expect(uids.get('1.2.840.10008.5.1.4.1.1.2')).toBe('CT Image Storage')
    expect(uids.get('1.2.840.10008.5.1.4.1.1.4')).toBe('MR Image Storage')
    expect(uids.get('1.2.840.10008.5.1.4.1.1.481.3')).toBe('RT Structure Set Storage')
  })
})

describe('negotiatePresentationContext', () => {
  test('every storage class of the table, and Verification, is accepted in explicit VR little endian', () => {
    for (const [uid, name] of [
      ...STORAGE_SOP_CLASSES,
      ...RETIRED_STORAGE_SOP_CLASSES,
      [VERIFICATION_SOP_CLASS, 'Verification'] as const,
    ])
      expect(negotiatePresentationContext(uid, [IMPLICIT, EXPLICIT]), name).toEqual({
        result: 'accept',
        transferSyntax: EXPLICIT,
      })
  })

  test('every accepted transfer syntax is chosen when it is the only one offered', () => {
    for (const [ts, name] of ACCEPTED_TRANSFER_SYNTAXES) {
      expect(ts, name).toMatch(UID)
      expect(negotiatePresentationContext('1.2.840.10008.5.1.4.1.1.66.4', [ts]), name).toEqual({
        result: 'accept',
        transferSyntax: ts,
      })
    }
    // a UID padded to even length with NUL, as some peers send it
    expect(negotiatePresentationContext('1.2.840.10008.5.1.4.1.1.7\0', [`${IMPLICIT}\0`])).toEqual({
      result: 'accept',
      transferSyntax: IMPLICIT,
    })
  })

  test('an unknown, private or non-storage abstract syntax is refused as not supported', () => {
    for (const uid of [
      '1.2.826.0.1.3680043.10.1398.99.1', // private
      '1.2.840.10008.5.1.4.1.2.1.1', // Patient Root Query/Retrieve - FIND
      '1.2.840.10008.1.20.1', // Storage Commitment Push Model
      '1.2.840.10008.1.3.10', // Media Storage Directory Storage (DICOMDIR)
      '1.2.840.10008.5.1.4.1.1.66.4.1', // a prefix of SEG is not SEG
      '',
    ])
      expect(negotiatePresentationContext(uid, [EXPLICIT]), uid).toEqual({
        result: 'abstract-syntax-not-supported',
      })
  })

  test('a storage class offered only in syntaxes we do not keep: transfer syntaxes not supported', () => {
    for (const offered of [
      [],
      ['1.2.840.10008.1.2.1.99'], // deflated: dcmjs-dimse would read it as plain
      ['1.2.840.10008.1.2.4.94'],
      ['1.2.840.10008.1.2.7.1'],
      ['1.2.3'],
    ])
      expect(negotiatePresentationContext('1.2.840.10008.5.1.4.1.1.66.4', offered)).toEqual({
        result: 'transfer-syntaxes-not-supported',
      })
  })
})
