import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { parseArgs } from 'node:util'
import { type AnalysisResult, analyze, type BackendRequest, ComputeError } from '@btt/compute'
import { createMeasurementReport, createSegmentations } from '@btt/connectors'
import { defaultConfig, formatUnits } from '@btt/core'
import { notARegularFile } from '../readInputFile.js'
import { requireFlags, UsageError } from '../usage.js'
import { checkOut, makeOut, write } from './computeOutput.js'
import type { Io } from './sim.js'

export const analyzeUsage = `Usage:
  btt analyze <file.dcm|folder>... [--model <manifest.json>] [--backend auto|cpu|cuda|webgpu] --out <dir>
              [--backend remote --coordinator <url> --api-key <key>]   run the model on contributor
                                            nodes (key also from BTT_API_KEY); only tensors leave
              [--dicom-sr] [--dicom-seg [--fractional]]   also write a TID 1500 SR / a SEG per
                                            series (mask models; --fractional: probabilities)
              [--fhir] [--fhir-server <url>] [--fhir-patient Patient/<id>|<system>|<value>]
                                            also write <study>.fhir.json, a FHIR R4 transaction
                                            Bundle (--fhir-server sends it; token: BTT_FHIR_TOKEN)
  btt demo-study --out <dir>   write two synthetic chest studies (one with a round opacity) to try it`

const BACKENDS = ['auto', 'cpu', 'cuda', 'webgpu', 'remote'] as const
const FHIR_OPTIONS = {
  fhir: { type: 'boolean', default: false },
  'fhir-server': { type: 'string' },
  'fhir-patient': { type: 'string' },
} as const

type FhirFlags = {
  fhir: boolean
  'fhir-server'?: string | undefined
  'fhir-patient'?: string | undefined
}

/** Whether FHIR output is asked for (a UsageError when --fhir-server or --fhir-patient is unusable). */
function fhirWanted(values: FhirFlags): boolean {
  const [server, patient] = [values['fhir-server'], values['fhir-patient']]
  if (server !== undefined && !/^https?:\/\/\S+$/.test(server))
    throw new UsageError(`--fhir-server must be an http(s) URL, got ${server}`)
  if (patient !== undefined && !/^(Patient\/[A-Za-z0-9\-.]{1,64}|[^|\s]+\|\S.*)$/.test(patient))
    throw new UsageError(`--fhir-patient must be Patient/<id> or <system>|<value>, got ${patient}`)
  return values.fhir || server !== undefined || patient !== undefined
}

/** Writes (and with --fhir-server sends) the study's FHIR Bundle; the key its SR and SEG take. */
async function fhirFor(
  result: AnalysisResult,
  uid: string,
  out: string,
  values: FhirFlags,
  io: Io,
) {
  const idempotencyKey = `${uid}|${result.model.sha256}`
  const { writeFhirForStudy } = await import('./ehr.js')
  const [server, patient] = [values['fhir-server'], values['fhir-patient']]
  await writeFhirForStudy(result, { uid, key: idempotencyKey, out, server, patient }, io)
  return { idempotencyKey }
}

/** One line per analysed image: each finding, its probability, box and outline. */
function printFindings(result: AnalysisResult, io: Io): void {
  for (const image of result.images) {
    const found = image.findings
      .map(
        (f) =>
          `${f.present ? '✔' : '·'} ${f.label} ${(f.probability * 100).toFixed(1)}%${f.box ? ` at x=${f.box.x} y=${f.box.y} ${f.box.width}×${f.box.height}` : ''}${f.mask ? `, outline ${f.mask.area} px` : ''}`,
      )
      .join(', ')
    io.out.write(`${image.file}${image.frame ? ` [frame ${image.frame}]` : ''}: ${found}\n`)
  }
}

/** `btt analyze …`: prints findings and writes one JSON result per study. */
export async function analyzeCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      out: { type: 'string' },
      'dicom-sr': { type: 'boolean', default: false },
      'dicom-seg': { type: 'boolean', default: false },
      fractional: { type: 'boolean', default: false },
      coordinator: { type: 'string' },
      'api-key': { type: 'string' },
      ...FHIR_OPTIONS,
    },
  })
  // every input is analysed (one file reached twice through them counts once)
  const inputs = positionals
  if (!inputs.length) throw new UsageError('"btt analyze" needs at least one file or folder')
  requireFlags('btt analyze', values, ['out'])
  const clash = outputClash(values.out, inputs)
  if (clash) throw new UsageError(clash)
  checkOut(values.out) // before the work: a folder that cannot be written fails now, not after
  const backend = values.backend as BackendRequest
  if (!(BACKENDS as readonly string[]).includes(backend))
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got "${backend}"`)
  const remote = remoteAccess(backend, values)
  const fhir = fhirWanted(values)
  checkModel(values.model)
  const result = await analyze(inputs.length === 1 ? inputs[0]! : inputs, {
    backend,
    ...(remote ? { coordinator: remote } : {}),
    ...(values.model ? { model: values.model } : {}),
    ...(values.fractional ? { maskProbabilities: true } : {}),
  })
  // --json: the human lines are not printed; one JSON document at the end instead
  const text: Io = io.json ? { ...io, out: { write: () => true } } : io
  text.out.write(
    `model ${result.model.id} ${result.model.version} (sha256 ${result.model.sha256.slice(0, 12)}…) on ${result.backend.name}: ${result.backend.reason}\n`,
  )
  printFindings(result, text)
  printReceipts(result, text)
  if (!result.images.length && !result.failures.length)
    throw new ComputeError(
      'COMPUTE_INVALID_ARGUMENT',
      `No DICOM image found in ${inputs.join(', ')}: nothing was analysed.`,
      { details: { inputs } },
    )
  for (const f of result.failures)
    text.out.write(`✖ ${f.file}: ${f.error.code}: ${f.error.message}\n`)
  const written = await writeStudies(result, { ...values, out: values.out, fhir }, text)
  const t = result.timings
  text.out.write(
    `${result.images.length} image(s), ${result.failures.length} failed; decode ${t.decodeMs.toFixed(0)} ms, preprocess ${t.preprocessMs.toFixed(0)} ms, inference ${t.inferenceMs.toFixed(0)} ms\n`,
  )
  if (io.json) io.out.write(`${JSON.stringify(summary(result, written))}\n`)
  return result.failures.length ? 1 : 0
}

/** `--json`: what ran, each image's findings (masks summarised), each failure, the files written. */
function summary(result: AnalysisResult, written: string[]) {
  return {
    model: result.model,
    backend: result.backend,
    studies: result.studyInstanceUids.map((uid) => forStudy(result, uid)),
    failures: result.failures.map((f) => ({
      file: f.file,
      code: f.error.code,
      message: f.error.message,
    })),
    ...(result.receipts ? { receipts: result.receipts.length } : {}),
    written,
  }
}

/** Writes each study's JSON (and FHIR Bundle, SR, SEG as asked); the files written. */
async function writeStudies(
  result: AnalysisResult,
  values: FhirFlags & {
    out: string
    fhir: boolean
    'dicom-sr': boolean
    'dicom-seg': boolean
    fractional: boolean
  },
  io: Io,
): Promise<string[]> {
  const written: string[] = []
  const put = (file: string, data: string | Uint8Array, what = '') => {
    write(file, data)
    written.push(file)
    io.out.write(`wrote ${file}${what}\n`)
  }
  makeOut(values.out)
  for (const uid of result.studyInstanceUids) {
    put(join(values.out, `${uid}.json`), `${JSON.stringify(forStudy(result, uid), null, 2)}\n`)
    const key = values.fhir ? await fhirFor(result, uid, values.out, values, io) : {} // SR/SEG UIDs derive from it
    if (values.fhir) written.push(join(values.out, `${uid}.fhir.json`))
    if (!values['dicom-sr'] && !values['dicom-seg']) continue
    const images = result.images.filter((i) => i.studyInstanceUid === uid)
    const sources = [...new Set(images.map((i) => i.file))].map(
      (f) => new Uint8Array(readFileSync(f)),
    )
    if (values['dicom-sr'])
      put(
        join(values.out, `${uid}.sr.dcm`),
        createMeasurementReport({ ...result, images }, { sources, ...key }),
        ' (DICOM SR, TID 1500)',
      )
    if (values['dicom-seg']) {
      const type = values.fractional ? 'FRACTIONAL' : 'BINARY'
      const segs = createSegmentations({ ...result, images }, { sources, type, ...key })
      for (const [i, seg] of segs.entries())
        put(
          join(values.out, `${uid}.seg${segs.length > 1 ? `-${i + 1}` : ''}.dcm`),
          seg,
          ` (DICOM SEG, ${type})`,
        )
      if (!segs.length)
        io.out.write(
          `no SEG for ${uid}: ${result.model.id} outlines nothing here (no mask output, or no finding)\n`,
        )
    }
  }
  return written
}

/**
 * The coordinator for `--backend remote`; a UsageError when it is incomplete, or when
 * --coordinator or --api-key come without --backend remote: the images stay on this machine
 * unless the caller asks for remote explicitly, and a flag that would send them is not ignored.
 */
function remoteAccess(
  backend: string,
  values: { coordinator?: string | undefined; 'api-key'?: string | undefined },
): { url: string; apiKey: string } | undefined {
  if (backend !== 'remote') {
    const given = (['coordinator', 'api-key'] as const).filter((f) => values[f] !== undefined)
    if (given.length)
      throw new UsageError(
        `--${given.join(' and --')} ${given.length > 1 ? 'are' : 'is'} only for --backend remote (got --backend ${backend}): add --backend remote to run on the network, or drop --${given.join(' and --')} to run on this machine`,
      )
    return undefined
  }
  const apiKey = values['api-key'] ?? process.env.BTT_API_KEY
  if (values.coordinator && !/^https?:\/\/[^/]/.test(values.coordinator))
    throw new UsageError(`--coordinator must be an http(s) URL, got ${values.coordinator}`)
  if (values.coordinator && apiKey) return { url: values.coordinator, apiKey }
  throw new UsageError(
    '--backend remote needs --coordinator <url> and --api-key <key> (or BTT_API_KEY)',
  )
}

function printReceipts(result: AnalysisResult, io: Io): void {
  for (const r of result.receipts ?? [])
    io.out.write(
      `receipt ${r.jobId.slice(0, 12)}… signed by ${r.signed.receipt.node}${r.verifiedBy.length ? `, verified by ${r.verifiedBy.length}` : ''}, billed ${formatUnits(BigInt(r.billed), defaultConfig.computePricing.minorDecimals, { trim: false })} ${r.currency}\n`,
    )
}

/** Why `out` may not be used with these inputs (it is, contains or lies inside one), if so. */
function outputClash(out: string, inputs: readonly string[]): string | undefined {
  const real = (path: string): string => {
    const abs = resolve(path)
    if (existsSync(abs)) return realpathSync(abs)
    const parent = dirname(abs)
    return parent === abs ? abs : join(real(parent), basename(abs))
  }
  const inside = (a: string, b: string) => a === b || a.startsWith(b.endsWith(sep) ? b : b + sep)
  const target = real(out)
  for (const input of inputs) {
    if (!existsSync(input)) continue
    const r = real(input)
    if (inside(target, r) || inside(r, target))
      return `--out ${out} ${target === r ? 'is' : inside(target, r) ? 'lies inside' : 'contains'} the input ${input}: results are never written into an input tree. Choose another --out.`
  }
  return undefined
}

function forStudy(result: AnalysisResult, studyInstanceUid: string) {
  return {
    studyInstanceUid,
    model: result.model,
    backend: result.backend,
    // masks are summarised (size, area); the pixels go into the SEG (--dicom-seg)
    images: result.images
      .filter((i) => i.studyInstanceUid === studyInstanceUid)
      .map((i) => ({
        ...i,
        findings: i.findings.map(({ mask, ...f }) =>
          mask ? { ...f, mask: { rows: mask.rows, columns: mask.columns, area: mask.area } } : f,
        ),
      })),
    timings: result.timings,
  }
}

/** A --model that is a device or FIFO (read forever) or a folder is refused before loading. */
function checkModel(model: string | undefined): void {
  const problem = model === undefined ? undefined : notARegularFile(model)
  if (problem)
    throw new ComputeError('COMPUTE_UNREADABLE_MODEL', `--model ${problem}.`, {
      details: { model },
    })
}
