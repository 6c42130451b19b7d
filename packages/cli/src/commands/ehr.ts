import { existsSync, linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type AnalysisResult, decodeDicom } from '@btt/compute'
import { ConnectorsError } from '@btt/connectors'
import {
  createBackendServicesClient,
  createCdsHooksHandler,
  createFhirClient,
  createFhirResultBundle,
  exportSmartClientKey,
  generateSmartClientKey,
  type IncentiveEngine,
  importSmartClientKey,
  overlayPng,
  patientFromDicom,
  sendFhirResults,
  serveSmartApp,
  smartJwks,
} from '@btt/connectors/ehr'
import { z } from 'zod'
import type { Io } from '../io.js'
import { untilStopped } from '../untilStopped.js'
import { noPositionals, requireFlags, subcommand, UsageError } from '../usage.js'
import { checkIntake, openIntake, readInput } from './ehrIntake.js'

export const ehrUsage = `Usage:
  btt ehr serve --public-url <url> --issuer <iss>=<jwks-url> [--issuer …] [--jku <iss>=<url>]…
                [--fhir-server <url>]… [--app-client-id <id>] [--host 127.0.0.1] [--port 8080]
                [--points-db <points.sqlite> --state <intake.sqlite> --pseudonym-key-file <file>
                 --intake-fhir <url> [--subscription Subscription/<id>]… [--poll-seconds <n>]]
      serves CDS Hooks 2.0 (/cds-services), the SMART app (/app/index.html) and, with --points-db,
      the incentive intake (POST /notifications, and polling every --poll-seconds);
      --client-key <key.json> also serves its public JWKS at /.well-known/jwks.json
  btt ehr key create --out <key.json> [--alg ES384|RS384]
      writes a SMART Backend Services signing key (private JWK, mode 600) and prints its public JWKS
  btt analyze … --fhir-server <url> takes a token from SMART Backend Services when
      BTT_SMART_CLIENT_ID and BTT_SMART_KEY_FILE are set (scope: BTT_SMART_SCOPE), else BTT_FHIR_TOKEN`

const url = z.url({ protocol: /^https?$/ })
const pair = z.string().regex(/^[^=]+=https?:\/\/.+$/, 'expected <issuer>=<http(s) url>')
const whole = z.string().regex(/^\d+$/, 'expected a whole number')
const serveSchema = z.strictObject({
  'public-url': url,
  issuer: z.array(pair).min(1),
  jku: z.array(pair).default([]),
  'fhir-server': z.array(url).default([]),
  'app-client-id': z.string().min(1).max(200).default('btt-viewer'),
  host: z.string().min(1).default('127.0.0.1'),
  port: whole.pipe(z.coerce.number<string>().int().min(0).max(65_535)).default(8080),
  'points-db': z.string().min(1).optional(),
  state: z.string().min(1).optional(),
  'pseudonym-key-file': z.string().min(1).optional(),
  'intake-fhir': url.optional(),
  subscription: z
    .array(z.string().regex(/^Subscription\/[A-Za-z0-9\-.]{1,64}$/, 'expected Subscription/<id>'))
    .default([]),
  'poll-seconds': whole.pipe(z.coerce.number<string>().int().min(0).max(86_400)).default(0),
  'client-key': z.string().min(1).optional(),
})
type ServeFlags = z.output<typeof serveSchema>

function issuersOf(f: ServeFlags) {
  const split = (p: string) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const
  const jku = f.jku.map(split)
  return Object.fromEntries(
    f.issuer
      .map(split)
      .map(([iss, jwksUrl]) => [
        iss,
        { jwksUrl, jkuAllowlist: jku.filter(([i]) => i === iss).map(([, u]) => u) },
      ]),
  )
}

/** `btt ehr serve`: the CDS Hooks service, the SMART app and the incentive intake on one port. */
export async function ehrCommand(argv: string[], io: Io): Promise<number> {
  const [given, ...rest] = argv
  if (subcommand('btt ehr', given, ['serve', 'key']) === 'key') return keyCreate(rest, io)
  let flags: ServeFlags
  try {
    const { values } = parseArgs({
      args: rest,
      options: {
        'public-url': { type: 'string' },
        issuer: { type: 'string', multiple: true },
        jku: { type: 'string', multiple: true },
        'fhir-server': { type: 'string', multiple: true },
        'app-client-id': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'points-db': { type: 'string' },
        state: { type: 'string' },
        'pseudonym-key-file': { type: 'string' },
        'intake-fhir': { type: 'string' },
        subscription: { type: 'string', multiple: true },
        'poll-seconds': { type: 'string' },
        'client-key': { type: 'string' },
      },
    })
    flags = serveSchema.parse(values)
  } catch (error) {
    const message = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message
    throw new UsageError(message)
  }
  return serve(flags, io)
}

async function serve(f: ServeFlags, io: Io): Promise<number> {
  // every flag and input checked, and the keys read, before anything is created
  const plan = checkIntake(f)
  const jwks = f['client-key']
    ? JSON.stringify(
        smartJwks([await importSmartClientKey(readJson(f['client-key'], '--client-key'))]),
      )
    : undefined
  let intake: Awaited<ReturnType<typeof openIntake>> | undefined
  const server = handlerOf(f, jwks, () => intake)
  const port = await listen(server, f)
  // opened once the port is had (a port in use leaves no database behind), before any request
  intake = plan ? await openIntake(plan).catch(closing(server)) : undefined
  io.out.write(
    `CDS Hooks on http://${f.host}:${port}/cds-services, SMART app on http://${f.host}:${port}/app/index.html${intake ? `, incentive intake on http://${f.host}:${port}/notifications` : ''}\n`,
  )
  let timer: NodeJS.Timeout | undefined
  if (intake && f['poll-seconds'] > 0) {
    const engine = intake.engine
    const tick = () => {
      engine
        .poll()
        .then((o) =>
          io.out.write(
            `polled: ${o.length} event(s), ${o.reduce((s, x) => s + x.points, 0)} point(s)\n`,
          ),
        )
        .catch((e: Error) => io.err.write(`poll failed: ${e.message}\n`))
        .finally(() => {
          timer = setTimeout(tick, f['poll-seconds'] * 1000)
        })
    }
    tick()
  }
  await untilStopped(io)
  clearTimeout(timer)
  await new Promise((r) => server.close(r))
  intake?.engine.close()
  await intake?.ledger.close()
  return 0
}

/** Closes the server, then rethrows (a start refused after the port was had). */
const closing = (server: Server) => async (error: unknown) => {
  await new Promise((r) => server.close(r))
  throw error
}

/** The server: CDS Hooks, then the SMART app, then the intake (once open), then the JWKS. */
function handlerOf(
  f: ServeFlags,
  jwks: string | undefined,
  intake: () => { engine: IncentiveEngine } | undefined,
): Server {
  const base = f['public-url'].replace(/\/$/, '')
  const cds = createCdsHooksHandler({
    serviceUrl: base,
    verifier: { issuers: issuersOf(f) },
    fhirServers: f['fhir-server'],
    appUrl: `${base}/app/index.html`,
    ...(f['points-db']
      ? { balance: (id: string) => intake()!.engine.balance(`Patient/${id}`) }
      : {}),
  })
  const app = serveSmartApp({ clientId: f['app-client-id'] })
  const notFound = (req: IncomingMessage, res: ServerResponse) =>
    jwks && req.url === '/.well-known/jwks.json'
      ? res.writeHead(200, { 'content-type': 'application/json' }).end(jwks)
      : res.writeHead(404).end()
  return createServer((req, res) =>
    cds(req, res, () =>
      app(req, res, () => {
        const engine = intake()?.engine
        if (engine) engine.handler(req, res, () => notFound(req, res))
        else notFound(req, res)
      }),
    ),
  )
}

/** Listens on --host:--port; the port had (a coded error when it cannot be). */
async function listen(server: Server, f: ServeFlags): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(
        new ConnectorsError(
          'CONNECTORS_INVALID_ARGUMENT',
          `Cannot listen on ${f.host}:${f.port}.`,
          {
            cause,
            details: { host: f.host, port: f.port },
          },
        ),
      ),
    )
    server.listen(f.port, f.host, resolve)
  })
  const address = server.address()
  return typeof address === 'object' && address ? address.port : f.port
}

/**
 * `btt analyze --fhir / --fhir-server`: the study's result as a FHIR transaction Bundle beside
 * its JSON (written atomically), sent to the server when one is given. The idempotency key is
 * the one the SR and SEG were written with, so the resources name them by UID.
 */
export async function writeFhirForStudy(
  result: AnalysisResult,
  o: {
    uid: string
    key: string
    out: string
    server?: string | undefined
    patient?: string | undefined
  },
  io: Io,
): Promise<void> {
  const images = result.images.filter((i) => i.studyInstanceUid === o.uid)
  const patient = o.patient?.startsWith('Patient/')
    ? { reference: o.patient }
    : o.patient?.includes('|')
      ? {
          identifier: {
            system: o.patient.slice(0, o.patient.indexOf('|')),
            value: o.patient.slice(o.patient.indexOf('|') + 1),
          },
        }
      : { identifier: patientFromDicom(new Uint8Array(readFileSync(images[0]!.file))) }
  // the overlay: the first image with a present finding (the app draws the boxes over it)
  const shown = images.find((i) => i.findings.some((f) => f.present)) ?? images[0]!
  const decoded = await decodeDicom(new Uint8Array(readFileSync(shown.file)), shown.file)
  const { png, scale } = overlayPng(decoded, { frame: shown.frame })
  const overlay = { contentType: 'image/png' as const, bytes: png, scale }
  const bundle = createFhirResultBundle(
    { ...result, images },
    { patient, idempotencyKey: o.key, overlay },
  )

  const file = join(o.out, `${o.uid}.fhir.json`)
  writeFileSync(`${file}.tmp`, `${JSON.stringify(bundle, null, 2)}\n`)
  renameSync(`${file}.tmp`, file)
  io.out.write(`wrote ${file} (FHIR R4 transaction Bundle)\n`)
  if (!o.server) return
  const fhir = createFhirClient({ baseUrl: o.server, ...(await tokenSource(o.server)) })
  const sent = await sendFhirResults(fhir, bundle)
  io.out.write(`sent to ${o.server}: ${sent.report}\n`)
}

/** The FHIR token: SMART Backend Services from BTT_SMART_CLIENT_ID + BTT_SMART_KEY_FILE, else BTT_FHIR_TOKEN. */
async function tokenSource(server: string): Promise<{ token?: () => Promise<string> }> {
  const {
    BTT_SMART_CLIENT_ID: clientId,
    BTT_SMART_KEY_FILE: keyFile,
    BTT_FHIR_TOKEN: fixed,
  } = process.env
  if (clientId && keyFile) {
    const key = await importSmartClientKey(readJson(keyFile, 'BTT_SMART_KEY_FILE'))
    const scope =
      process.env.BTT_SMART_SCOPE ??
      'system/DiagnosticReport.write system/Observation.write system/*.read'
    return {
      token: createBackendServicesClient({ fhirBaseUrl: server, clientId, key, scope }).token,
    }
  }
  return fixed ? { token: async () => fixed } : {}
}

/** `btt ehr key create --out <file>`: a new signing key, written once (never over a file). */
async function keyCreate(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, alg: { type: 'string', default: 'ES384' } },
  })
  subcommand('btt ehr key', positionals[0], ['create'])
  noPositionals('btt ehr key create', positionals.slice(1))
  requireFlags('btt ehr key create', values, ['out'])
  const alg = values.alg
  if (alg !== 'ES384' && alg !== 'RS384')
    throw new UsageError(`--alg must be ES384 or RS384, got "${alg}"`)
  if (existsSync(values.out))
    throw new UsageError(`${values.out} exists: a key is never overwritten`)
  const key = await generateSmartClientKey({ alg })
  writeOnce(values.out, `${JSON.stringify(await exportSmartClientKey(key), null, 2)}\n`)
  io.out.write(`${JSON.stringify(smartJwks([key]))}\n`)
  return 0
}

function readJson(file: string, flag: string): unknown {
  const text = readInput(file, flag)
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new ConnectorsError('CONNECTORS_INVALID_ARGUMENT', `${flag}: ${file} is not JSON.`, {
      cause,
      details: { flag, file },
    })
  }
}

/** Writes a new key file atomically and never over an existing file or folder. */
function writeOnce(out: string, text: string): void {
  const tmp = `${out}.${process.pid}.tmp`
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' })
    linkSync(tmp, out) // EEXIST rather than replacing what is there
  } catch (cause) {
    throw new ConnectorsError('CONNECTORS_INVALID_ARGUMENT', `Cannot write the key file ${out}.`, {
      cause,
      details: { out },
    })
  } finally {
    try {
      unlinkSync(tmp)
    } catch {}
  }
}
