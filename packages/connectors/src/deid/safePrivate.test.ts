import { describe, expect, test } from 'vitest'
import { deidentifyOptionsSchema } from './options.js'
import { isSafePrivate } from './safePrivate.js'

const o = (safePrivate: object[]) =>
  deidentifyOptionsSchema.parse({ key: new Uint8Array(4), retain: { safePrivate } })
const creators = (block: number) =>
  block === 0x10 ? 'ACME 1.0' : block === 0x11 ? 'OTHER' : undefined

describe('isSafePrivate', () => {
  const rules = o([{ group: '0009', creator: 'ACME 1.0', element: '02' }])
  test('an element is kept when its block’s creator and its element byte are listed', () => {
    expect(isSafePrivate('00091002', creators, rules)).toBe(true)
    expect(isSafePrivate('00091001', creators, rules)).toBe(false) // another element
    expect(isSafePrivate('00091102', creators, rules)).toBe(false) // same byte, another creator
    expect(isSafePrivate('000b1002', creators, rules)).toBe(false) // another group
  })
  test('the creator element goes with its block; group lengths and (gggg,0001-000F) never stay', () => {
    expect(isSafePrivate('00090010', (b) => (b === 0x0010 ? 'ACME 1.0' : undefined), rules)).toBe(
      true,
    )
    expect(isSafePrivate('00090000', creators, rules)).toBe(false)
    expect(isSafePrivate('00090005', creators, rules)).toBe(false)
  })
  test('nothing is safe without the option', () => {
    expect(isSafePrivate('00091002', creators, o([]))).toBe(false)
  })
})
