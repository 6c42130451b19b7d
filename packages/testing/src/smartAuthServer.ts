import { createHash, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose'

export type SmartAuthServer = {
  /** Issuer base URL; `.well-known/smart-configuration` lives under it. */
  url: string
  tokenEndpoint: string
  authorizeEndpoint: string
  /** The EHR's public keys (for CDS Hooks JWTs), served at `${url}/ehr/jwks.json`. */
  ehrJwksUrl: string
  /** Registers a backend client by its public JWKS (client-credentials with private_key_jwt). */
  registerClient(clientId: string, jwks: JSONWebKeySet): void
  /** Registers a public app client for EHR launch (authorization code + PKCE). */
  registerApp(clientId: string, redirectUri: string): void
  /** Creates a launch context (`launch` parameter) for a patient. */
  createLaunch(patientId: string): string
  /** Access tokens issued so far (client id, scope, expiry), newest last. */
  issued: { clientId: string; token: string; expiresAt: number; grant: string }[]
  /** True when `Bearer …` is a live token this server issued. */
  isValidToken(authorization: string | undefined): boolean
  /** Signs a CDS Hooks JWT as the EHR (ES384 by default, with the current `kid`). */
  signEhrJwt(claims: JWTPayload, options?: { kid?: string; expiresIn?: number }): Promise<string>
  /** Adds a new EHR signing key and makes it current (the old one stays published). */
  rotateEhrKey(): Promise<string>
  stop(): Promise<void>
}

export type StartSmartAuthServerOptions = {
  /** Lifetime of access tokens, seconds (default 300). */
  tokenLifetime?: number
}

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function json(res: ServerResponse, status: number, value: unknown, headers = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'access-control-allow-origin': '*',
    'cache-control': 'no-store',
    ...headers,
  })
  res.end(JSON.stringify(value))
}

type EhrKey = {
  kid: string
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']
  publicJwk: Record<string, unknown>
}

async function newEhrKey(): Promise<EhrKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true })
  const kid = randomUUID()
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES384' } }
}

/**
 * A SMART on FHIR authorization server for tests, on a random loopback port: discovery
 * (`.well-known/smart-configuration`), client-credentials with a signed JWT assertion (checked
 * against the client's registered JWKS: signature, `iss`=`sub`=client, `aud`=token endpoint, `exp`,
 * `jti` once), and the EHR-launch authorization-code flow with PKCE (S256). It also plays the EHR
 * that signs CDS Hooks JWTs, with a rotating key set at `/ehr/jwks.json`.
 */
export async function startSmartAuthServer(
  options: StartSmartAuthServerOptions = {},
): Promise<SmartAuthServer> {
  const lifetime = options.tokenLifetime ?? 300
  const clients = new Map<string, JSONWebKeySet>()
  const apps = new Map<string, string>()
  const launches = new Map<string, string>()
  const codes = new Map<
    string,
    { clientId: string; challenge: string; patient: string; redirect: string }
  >()
  const jtis = new Set<string>()
  const issued: SmartAuthServer['issued'] = []
  const ehrKeys: EhrKey[] = [await newEhrKey()]
  let base = ''

  const token = (
    clientId: string,
    grant: string,
    extra: Record<string, unknown>,
    scope: string,
  ) => {
    const t = randomUUID()
    issued.push({ clientId, token: t, expiresAt: Date.now() + lifetime * 1000, grant })
    return { access_token: t, token_type: 'Bearer', expires_in: lifetime, scope, ...extra }
  }

  const clientCredentials = async (form: URLSearchParams, res: ServerResponse) => {
    const assertion = form.get('client_assertion') ?? ''
    if (
      form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    )
      return json(res, 400, { error: 'invalid_request' })
    try {
      const claims = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString())
      const jwks = clients.get(claims.iss)
      if (!jwks) return json(res, 401, { error: 'invalid_client' })
      const { payload } = await jwtVerify(assertion, createLocalJWKSet(jwks), {
        issuer: claims.iss,
        subject: claims.iss,
        audience: `${base}/token`,
        algorithms: ['RS384', 'ES384'],
      })
      if (!payload.jti || jtis.has(payload.jti)) return json(res, 401, { error: 'invalid_client' })
      jtis.add(payload.jti)
      return json(res, 200, token(claims.iss, 'client_credentials', {}, form.get('scope') ?? ''))
    } catch {
      return json(res, 401, { error: 'invalid_client' })
    }
  }

  const authorizationCode = (form: URLSearchParams, res: ServerResponse) => {
    const entry = codes.get(form.get('code') ?? '')
    const verifier = form.get('code_verifier') ?? ''
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    if (!entry || entry.challenge !== challenge || entry.redirect !== form.get('redirect_uri'))
      return json(res, 400, { error: 'invalid_grant' })
    codes.delete(form.get('code') ?? '')
    return json(
      res,
      200,
      token(
        entry.clientId,
        'authorization_code',
        { patient: entry.patient },
        'launch patient/*.read',
      ),
    )
  }

  const authorize = (url: URL, res: ServerResponse) => {
    const p = url.searchParams
    const redirect = apps.get(p.get('client_id') ?? '')
    const patient = launches.get(p.get('launch') ?? '')
    if (
      !redirect ||
      redirect !== p.get('redirect_uri') ||
      !patient ||
      p.get('code_challenge_method') !== 'S256'
    )
      return json(res, 400, { error: 'invalid_request' })
    const code = randomUUID()
    codes.set(code, {
      clientId: p.get('client_id') ?? '',
      challenge: p.get('code_challenge') ?? '',
      patient,
      redirect,
    })
    const to = new URL(redirect)
    to.searchParams.set('code', code)
    to.searchParams.set('state', p.get('state') ?? '')
    res.writeHead(302, { location: to.toString() })
    res.end()
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base)
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'access-control-allow-methods': 'GET, POST',
      })
      return res.end()
    }
    if (url.pathname === '/.well-known/smart-configuration')
      return json(res, 200, {
        issuer: base,
        token_endpoint: `${base}/token`,
        authorization_endpoint: `${base}/authorize`,
        jwks_uri: `${base}/ehr/jwks.json`,
        grant_types_supported: ['client_credentials', 'authorization_code'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
        code_challenge_methods_supported: ['S256'],
        capabilities: [
          'launch-ehr',
          'client-confidential-asymmetric',
          'client-public',
          'context-ehr-patient',
        ],
      })
    if (url.pathname === '/ehr/jwks.json')
      return json(res, 200, { keys: ehrKeys.map((k) => k.publicJwk) })
    if (url.pathname === '/authorize') return authorize(url, res)
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = await body(req)
      if (form.get('grant_type') === 'client_credentials') return clientCredentials(form, res)
      if (form.get('grant_type') === 'authorization_code') return authorizationCode(form, res)
      return json(res, 400, { error: 'unsupported_grant_type' })
    }
    return json(res, 404, { error: 'not_found' })
  }

  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => json(res, 500, { error: 'server_error' }))
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  return {
    url: base,
    tokenEndpoint: `${base}/token`,
    authorizeEndpoint: `${base}/authorize`,
    ehrJwksUrl: `${base}/ehr/jwks.json`,
    registerClient: (id, jwks) => void clients.set(id, jwks),
    registerApp: (id, redirect) => void apps.set(id, redirect),
    createLaunch: (patient) => {
      const launch = randomUUID()
      launches.set(launch, patient)
      return launch
    },
    issued,
    isValidToken: (authorization) => {
      const t = authorization?.replace(/^Bearer /, '')
      return issued.some((i) => i.token === t && i.expiresAt > Date.now())
    },
    signEhrJwt: async (claims, o = {}) => {
      const key = (o.kid ? ehrKeys.find((k) => k.kid === o.kid) : ehrKeys.at(-1)) ?? ehrKeys[0]!
      const now = Math.floor(Date.now() / 1000)
      return new SignJWT({
        jti: randomUUID(),
        iat: now,
        exp: now + (o.expiresIn ?? 300),
        iss: base,
        ...claims,
      })
        .setProtectedHeader({
          alg: 'ES384',
          kid: key.kid,
          typ: 'JWT',
          jku: `${base}/ehr/jwks.json`,
        })
        .sign(key.privateKey)
    },
    rotateEhrKey: async () => {
      const key = await newEhrKey()
      ehrKeys.push(key)
      return key.kid
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
