import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import { parseWithCode } from '@btt/core'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
}

/** The app's folder: `app/` of the package, from the sources or from the built `dist/`. */
function appFolder(): string {
  const candidates = ['../../app/', '../app/'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  )
  return candidates.find((d) => existsSync(`${d}index.html`)) ?? candidates[0]!
}

const optionsSchema = z.strictObject({
  /** The app's OAuth client id at the EHR's authorization server. */
  clientId: z.string().min(1).max(200),
  /** The path the app is served under (default `/app`). */
  basePath: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*$/)
    .default('/app'),
})

export type ServeSmartAppOptions = z.input<typeof optionsSchema>
export type ServeSmartAppErrorType = ConnectorsError

/**
 * Serves the SMART on FHIR app (EHR launch with PKCE; shows the latest AI report, its findings and
 * the overlay image) as static files under `basePath`: `index.html` (the launch and redirect URL),
 * `app.js`, and `config.json` with the client id. A Node listener / express-style middleware.
 *
 * @param options - `{ clientId, basePath? }`.
 * @returns the handler.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for invalid options.
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { serveSmartApp } from '@btt/connectors/ehr'
 * createServer(serveSmartApp({ clientId: 'btt-viewer' })).listen(8080) // launch URL: /app/index.html
 * ```
 */
export function serveSmartApp(options: ServeSmartAppOptions) {
  const o = parseWithCode(
    optionsSchema,
    options,
    'SMART app options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const folder = appFolder()
  const base = o.basePath.replace(/\/$/, '')
  return (req: IncomingMessage, res: ServerResponse, next?: () => void): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    const name =
      path === base || path === `${base}/`
        ? 'index.html'
        : path.startsWith(`${base}/`)
          ? path.slice(base.length + 1)
          : undefined
    if (req.method !== 'GET' || name === undefined || (name !== 'config.json' && !FILES[name])) {
      if (next) next()
      else res.writeHead(404).end()
      return
    }
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }
    if (name === 'config.json') {
      res
        .writeHead(200, { ...headers, 'content-type': 'application/json' })
        .end(JSON.stringify({ clientId: o.clientId }))
      return
    }
    readFile(`${folder}${name}`)
      .then((body) => res.writeHead(200, { ...headers, 'content-type': FILES[name]! }).end(body))
      .catch(() => res.writeHead(500).end())
  }
}
