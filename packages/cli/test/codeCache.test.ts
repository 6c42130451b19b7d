import { createHash } from 'node:crypto'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { requireCached } from '../src/commands/codeCache.js'

let dir: string
let saved: string | undefined
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'btt-code-cache-'))
  saved = process.env.XDG_CACHE_HOME
  process.env.XDG_CACHE_HOME = join(dir, 'cache')
})
afterEach(() => {
  if (saved === undefined) delete process.env.XDG_CACHE_HOME
  else process.env.XDG_CACHE_HOME = saved
  rmSync(dir, { recursive: true, force: true })
})

const bundle = (body: string) => {
  const path = join(dir, 'bundle.cjs')
  writeFileSync(path, body)
  return path
}
const cacheFiles = () => readdirSync(join(dir, 'cache', 'btt'))

test('runs a CommonJS file, writes its code cache once, then runs from it', () => {
  const path = bundle(
    "const { join } = require('node:path'); exports.f = (n) => join('a', String(n * 2)); exports.file = __filename",
  )
  const first = requireCached(path)
  expect((first.exports as { f(n: number): string }).f(21)).toBe(join('a', '42'))
  expect((first.exports as { file: string }).file).toBe(path)
  first.save()
  expect(cacheFiles()).toHaveLength(1)
  const cache = join(dir, 'cache', 'btt', cacheFiles()[0]!)
  expect(cacheFiles()[0]).toMatch(
    new RegExp(`^bundle\\.cjs-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8$`),
  )
  const written = statSync(cache).mtimeMs
  const second = requireCached(path)
  expect((second.exports as { f(n: number): string }).f(1)).toBe(join('a', '2'))
  second.save() // accepted: not written again
  expect(statSync(cache).mtimeMs).toBe(written)
})

test('a corrupt cache is ignored and replaced; a changed bundle gets its own', () => {
  // a source this process has not compiled (V8 would take it from its own cache, not the file)
  const source = `exports.v = 1 // ${dir}`
  const path = bundle(source)
  const hash = createHash('sha1').update(source).digest('hex').slice(0, 16)
  const cache = join(
    dir,
    'cache',
    'btt',
    `bundle.cjs-${hash}-${process.version}-${process.arch}.v8`,
  )
  mkdirSync(join(dir, 'cache', 'btt'), { recursive: true })
  writeFileSync(cache, 'not V8 data')
  const again = requireCached(path)
  expect((again.exports as { v: number }).v).toBe(1)
  again.save()
  expect(readFileSync(cache).toString()).not.toBe('not V8 data')
  bundle('exports.v = 2')
  const changed = requireCached(path)
  expect((changed.exports as { v: number }).v).toBe(2)
  changed.save() // and the earlier build's cache removed
  expect(cacheFiles()).toHaveLength(1)
  expect(cacheFiles()[0]).not.toBe(basename(cache))
})

test('a variant (other V8 flags) keeps a cache of its own beside the plain one', () => {
  const path = bundle(`exports.v = 4 // ${dir}`)
  requireCached(path).save()
  const variant = requireCached(path, 'delayed-tiering')
  expect((variant.exports as { v: number }).v).toBe(4)
  variant.save()
  const names = cacheFiles().sort()
  expect(names).toHaveLength(2)
  expect(names[0]).toMatch(new RegExp(`-${process.arch}-delayed-tiering\\.v8$`))
  expect(names[1]).toMatch(new RegExp(`-${process.arch}\\.v8$`))
  const written = statSync(join(dir, 'cache', 'btt', names[0]!)).mtimeMs
  requireCached(path, 'delayed-tiering').save() // accepted: not written again
  expect(statSync(join(dir, 'cache', 'btt', names[0]!)).mtimeMs).toBe(written)
})

const cacheName = (source: string, variant = '') =>
  `bundle.cjs-${createHash('sha1').update(source).digest('hex').slice(0, 16)}-${process.version}-${process.arch}${variant}.v8`

test("another source's cache under this source's name is not run (V8 checks only the length)", () => {
  const a = `exports.v = 'AAAA' // ${dir}`
  const b = `exports.v = 'BBBB' // ${dir}`
  const path = bundle(a)
  requireCached(path).save()
  const cache = join(dir, 'cache', 'btt')
  const planted = readFileSync(join(cache, cacheName(a)))
  bundle(b)
  writeFileSync(join(cache, cacheName(b)), planted)
  const m = requireCached(path)
  expect((m.exports as { v: string }).v).toBe('BBBB')
  m.save() // replaced by B's own
  expect(readFileSync(join(cache, cacheName(b))).equals(planted)).toBe(false)
})

test('a cache with one byte changed is compiled afresh and replaced, not handed to V8', () => {
  const source = `exports.f = (n) => n * 3 // ${dir}`
  const path = bundle(source)
  requireCached(path).save()
  const file = join(dir, 'cache', 'btt', cacheName(source))
  const good = readFileSync(file)
  for (const at of [good.length >> 1, good.length - 1, 20]) {
    const bad = Buffer.from(good)
    bad[at] = bad[at]! ^ 0xff
    writeFileSync(file, bad)
    const m = requireCached(path)
    expect((m.exports as { f(n: number): number }).f(5)).toBe(15)
    m.save()
    const now = readFileSync(file)
    expect(now.equals(bad)).toBe(false)
    expect(now.subarray(0, 15).toString('latin1')).toBe('btt-v8-cache-1\n')
  }
})

test('an unwritable cache folder only means no cache', () => {
  process.env.XDG_CACHE_HOME = '/proc/btt-no-such-folder'
  const path = bundle('exports.v = 3')
  const m = requireCached(path)
  expect((m.exports as { v: number }).v).toBe(3)
  expect(() => m.save()).not.toThrow()
})
