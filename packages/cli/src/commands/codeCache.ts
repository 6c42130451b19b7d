import { createHash } from 'node:crypto'
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { homedir, tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { Script } from 'node:vm'

/**
 * Runs a CommonJS file (a self-contained bundle such as `dist/deid-command.cjs`) through a V8 code
 * cache: Node 20 compiles ES modules afresh on every start (no `module.enableCompileCache`), and
 * compiling the bundle was about half of loading it. The cache is kept under
 * `$XDG_CACHE_HOME/btt` (else `~/.cache/btt`, else a folder of this user's in the temporary
 * folder), keyed by the bundle's hash, Node's version, the architecture and `variant` (a name for
 * V8 flags the process runs under, such as v8Tiering.ts's: V8 refuses data made under other
 * flags, so each setting keeps its own cache); V8 rejects data that does not fit, and a missing,
 * stale or unreadable cache only means compiling as without one. V8 itself checks a cache's
 * versions, flags and source length, not its bytes (a release build has no checksum: one changed
 * byte could crash the process, or run another source of the same length): the file starts with a
 * header holding the SHA-1 of the source and of the data, and anything that does not match is
 * compiled afresh and replaced.
 * `save()`, called once the command has run (so that the functions it compiled are included),
 * writes the cache atomically when there was none; failing to write it is ignored.
 */
export function requireCached(path: string, variant?: string): { exports: unknown; save(): void } {
  const source = readFileSync(path, 'utf8')
  const sourceDigest = createHash('sha1').update(source).digest()
  const hash = sourceDigest.toString('hex').slice(0, 16)
  const dir = cacheFolder()
  const flags = variant ? `-${variant}` : ''
  const [prefix, suffix] = [`${basename(path)}-`, `-${process.version}-${process.arch}${flags}.v8`]
  const file = dir && join(dir, `${prefix}${hash}${suffix}`)
  const cachedData = file ? checked(readIfOwn(file), sourceDigest) : undefined
  // as Node wraps a CommonJS module (on the first line: the bundle's lines keep their numbers)
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`
  const script = new Script(wrapped, { filename: path, cachedData })
  const module = { exports: {} as unknown }
  script.runInThisContext()(module.exports, createRequire(path), module, path, dirname(path))
  let fresh = !cachedData || script.cachedDataRejected === true
  return {
    exports: module.exports,
    save() {
      if (!fresh || !dir || !file) return
      fresh = false
      writeAtomically(dir, file, withHeader(script.createCachedData(), sourceDigest))
      removeStale(dir, file, prefix, suffix)
    },
  }
}

/** The cache file's header: a tag and version, the source's SHA-1, the data's SHA-1. */
const MAGIC = Buffer.from('btt-v8-cache-1\n', 'latin1')
const HEADER = MAGIC.length + 40

function withHeader(data: Buffer, sourceDigest: Buffer): Buffer {
  const digest = createHash('sha1').update(data).digest()
  return Buffer.concat([MAGIC, sourceDigest, digest, data])
}

/** The data of a cache file whose header matches this source and its own bytes; else undefined. */
function checked(file: Buffer | undefined, sourceDigest: Buffer): Buffer | undefined {
  if (!file || file.length <= HEADER || !file.subarray(0, MAGIC.length).equals(MAGIC))
    return undefined
  const at = MAGIC.length
  if (!file.subarray(at, at + 20).equals(sourceDigest)) return undefined
  const data = file.subarray(HEADER)
  const digest = createHash('sha1').update(data).digest()
  return digest.equals(file.subarray(at + 20, HEADER)) ? data : undefined
}

function cacheFolder(): string | undefined {
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'btt')
  try {
    return join(homedir(), '.cache', 'btt')
  } catch {
    // no home folder: a folder of this user's only (another user's could hold planted data)
    return typeof process.getuid === 'function'
      ? join(tmpdir(), `btt-cache-${process.getuid()}`)
      : undefined
  }
}

/** The file's bytes when it is a plain file of this user's; otherwise (or unreadable) undefined. */
function readIfOwn(file: string): Buffer | undefined {
  try {
    const s = lstatSync(file)
    if (!s.isFile() || (typeof process.getuid === 'function' && s.uid !== process.getuid()))
      return undefined
    return readFileSync(file)
  } catch {
    return undefined
  }
}

function writeAtomically(dir: string, file: string, data: Buffer) {
  const temporary = `${file}.${process.pid}.tmp`
  try {
    makeFolder(dir)
    writeFileSync(temporary, data, { mode: 0o600 })
    renameSync(temporary, file)
  } catch {
    // a cache only: the command has run all the same
    try {
      rmSync(temporary, { force: true })
    } catch {}
  }
}

/**
 * The folder and its parent, not further (no `recursive`: Node 20's spins on a path under /proc);
 * already there: nothing to do.
 */
function makeFolder(dir: string) {
  for (const d of [dirname(dir), dir])
    try {
      mkdirSync(d, { mode: 0o700 })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
}

/** The caches of earlier builds of the same bundle for this Node (they would only accumulate). */
function removeStale(dir: string, file: string, prefix: string, suffix: string) {
  try {
    for (const name of readdirSync(dir))
      if (name.startsWith(prefix) && name.endsWith(suffix) && join(dir, name) !== file)
        rmSync(join(dir, name), { force: true })
  } catch {
    // a cache only
  }
}
