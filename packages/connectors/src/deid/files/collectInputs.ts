import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { parseWith } from '@btt/core/errors'
import { z } from 'zod'
import { ConnectorsError } from '../../errors.js'

/** A file to de-identify: where it was found, and where its output goes under the output folder. */
export type InputFile = { path: string; relative: string }
/** An entry that cannot be read: it fails alone, the rest of the batch goes on. */
export type InputFailure = { path: string; error: ConnectorsError }
export type CollectInputsParameters = {
  /** The output folder (need not exist). */
  out: string
  /** Other paths the run will write (a vault): checked against the inputs the same way. */
  alsoWrites?: string[]
}
export type CollectInputsReturnType = { files: InputFile[]; failures: InputFailure[] }

const schema = z.strictObject({
  inputs: z.array(z.string().min(1)).min(1),
  out: z.string().min(1),
  alsoWrites: z.array(z.string().min(1)).default([]),
})

/**
 * Lists the files of every input (files, and folders walked recursively; names starting with `.`
 * skipped) before anything is written. Refuses, with nothing created, an input that does not
 * exist or an output (or `alsoWrites` path) that is, contains or lies inside an input, comparing
 * real paths (links resolved). A file reached twice (through links, or two inputs) is listed once;
 * a link loop, an unreadable folder, a dangling link or a FIFO fails that entry only. With one input
 * the outputs keep the paths relative to it; with several, each goes under its input's name.
 *
 * @throws {ConnectorsError} `DEID_INPUT_NOT_FOUND`, `DEID_INPUT_UNREADABLE` (an input itself),
 *   `DEID_OUTPUT_OVERLAPS_INPUT`, `CONNECTORS_INVALID_ARGUMENT`.
 */
export function collectInputs(inputs: string[], parameters: CollectInputsParameters) {
  const o = parseWith(
    schema,
    { inputs, ...parameters },
    'de-identification inputs',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const roots = o.inputs.map((path) => ({ path, real: realInput(path) }))
  for (const target of [o.out, ...o.alsoWrites]) refuseOverlap(target, roots)
  const names = roots.map((r) => basename(r.real))
  if (roots.length > 1 && new Set(names).size < names.length)
    throw new ConnectorsError(
      'CONNECTORS_INVALID_ARGUMENT',
      `Two inputs have the same name (${names.join(', ')}): their outputs would collide.`,
      { details: { inputs: o.inputs } },
    )
  const seen = new Set<string>()
  const result: CollectInputsReturnType = { files: [], failures: [] }
  for (const [i, root] of roots.entries()) {
    const prefix = roots.length > 1 ? names[i]! : ''
    walk(root.path, prefix, seen, result)
  }
  return result
}

function realInput(path: string): string {
  try {
    return realpathSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT')
      throw new ConnectorsError('DEID_INPUT_NOT_FOUND', `${path}: no such file or folder.`, {
        cause: error,
        details: { path },
      })
    throw unreadable(path, error)
  }
}

/** The real path a (possibly not yet existing) path will have: its nearest existing ancestor's. */
function realTarget(path: string): string {
  const abs = resolve(path)
  let existing = abs
  for (;;) {
    try {
      return join(realpathSync(existing), relative(existing, abs))
    } catch {
      const up = dirname(existing)
      if (up === existing) return abs
      existing = up
    }
  }
}

function refuseOverlap(target: string, roots: { path: string; real: string }[]) {
  const t = realTarget(target)
  for (const r of roots) {
    const inside = (a: string, b: string) => a === b || a.startsWith(b.endsWith(sep) ? b : b + sep)
    if (inside(t, r.real) || inside(r.real, t))
      throw new ConnectorsError(
        'DEID_OUTPUT_OVERLAPS_INPUT',
        `${target} ${t === r.real ? 'is' : inside(t, r.real) ? 'lies inside' : 'contains'} the input ${r.path}: de-identified files are never written into an input tree. Choose another output.`,
        { details: { output: target, input: r.path, realOutput: t, realInput: r.real } },
      )
  }
}

function walk(start: string, prefix: string, seen: Set<string>, result: CollectInputsReturnType) {
  const startStat = statSync(start)
  if (!startStat.isDirectory()) {
    addFile(start, join(prefix, basename(start)), seen, result)
    return
  }
  const stack: { dir: string; rel: string }[] = [{ dir: start, rel: prefix }]
  seen.add(`d${startStat.dev}:${startStat.ino}`)
  while (stack.length) {
    const { dir, rel } = stack.pop()!
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch (error) {
      result.failures.push({ path: dir, error: unreadable(dir, error) })
      continue
    }
    // regular files first, so a file is listed under its own name rather than a link's
    entries.sort((a, b) =>
      a.isFile() !== b.isFile()
        ? a.isFile()
          ? -1
          : 1
        : a.name < b.name
          ? -1
          : a.name > b.name
            ? 1
            : 0,
    )
    for (const e of entries) {
      if (e.name.startsWith('.')) continue
      const path = join(dir, e.name)
      const r = join(rel, e.name)
      if (e.isFile()) addFile(path, r, seen, result)
      else entry(path, r, seen, result, stack)
    }
  }
}

/** A folder, a link or something else: followed once, or failed alone. */
function entry(
  path: string,
  rel: string,
  seen: Set<string>,
  result: CollectInputsReturnType,
  stack: { dir: string; rel: string }[],
) {
  let st: ReturnType<typeof statSync>
  try {
    st = statSync(path)
  } catch (error) {
    result.failures.push({ path, error: unreadable(path, error) })
    return
  }
  if (st.isDirectory()) {
    const id = `d${st.dev}:${st.ino}`
    if (seen.has(id)) return // a link back into a folder already walked (self -> ., loops)
    seen.add(id)
    stack.push({ dir: path, rel })
  } else if (st.isFile()) addFile(path, rel, seen, result)
  else
    result.failures.push({
      path,
      error: unreadable(path, new Error('not a regular file (a FIFO, socket or device)')),
    })
}

function addFile(path: string, rel: string, seen: Set<string>, result: CollectInputsReturnType) {
  let st: ReturnType<typeof statSync>
  try {
    st = statSync(path)
  } catch (error) {
    result.failures.push({ path, error: unreadable(path, error) })
    return
  }
  if (!st.isFile()) {
    const what = st.isDirectory() ? 'a folder' : 'not a regular file (a FIFO, socket or device)'
    result.failures.push({ path, error: unreadable(path, new Error(what)) })
    return
  }
  const id = `f${st.dev}:${st.ino}`
  if (seen.has(id)) return // the same file through another link or input
  seen.add(id)
  result.files.push({ path, relative: rel })
}

function unreadable(path: string, error: unknown) {
  const e = error as NodeJS.ErrnoException
  const why =
    e.code === 'ELOOP'
      ? 'a symbolic link loop'
      : e.code === 'ENOENT'
        ? 'a dangling link'
        : e.message
  return new ConnectorsError('DEID_INPUT_UNREADABLE', `${path}: cannot read: ${why}.`, {
    cause: error,
    details: { path, ...(e.code ? { errno: e.code } : {}) },
  })
}
