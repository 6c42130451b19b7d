/// <reference path="../types/dcmjs-dimse.d.ts" />
import { createRequire } from 'node:module'
import { parseWithCode } from '@btt/core'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'
import { type DimseLogLevel, dimseLogLevelSchema, holdDimseLogLevel } from './dimseLogLevel.js'

const dimse = createRequire(import.meta.url)('dcmjs-dimse')
const { Client } = dimse
const { CEchoRequest, CFindRequest, CStoreRequest } = dimse.requests
const { Status } = dimse.constants

/** A DIMSE request failed: network error, association rejected, timeout or a failure status. */
function dimseError(
  peer: Pick<Peer, 'host' | 'port' | 'calledAet'>,
  message: string,
  cause?: unknown,
): ConnectorsError {
  return new ConnectorsError('DIMSE_FAILED', message, {
    cause,
    details: { host: peer.host, port: peer.port, calledAet: peer.calledAet },
  })
}

export type Peer = {
  host: string
  port: number
  calledAet: string
  callingAet?: string
  /**
   * Seconds to wait for the connection, the association answer and each PDU before the request
   * fails with a `ConnectorsError` (`DIMSE_FAILED`) (default 60; dcmjs-dimse's own connect default is 3 minutes).
   */
  timeoutSeconds?: number
  /**
   * What dcmjs-dimse logs during the exchange (default `warn`: warnings and errors; `info` logs
   * every PDU). Its logger is one per process: see `holdDimseLogLevel`.
   */
  logLevel?: DimseLogLevel
}

const peerSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  calledAet: z.string().trim().min(1).max(16),
  callingAet: z.string().trim().min(1).max(16).optional(),
  timeoutSeconds: z.number().positive().max(86_400).optional(),
  logLevel: dimseLogLevelSchema.default('warn'),
})

function send(given: Peer, requests: any[]): Promise<void> {
  const peer = parseWithCode(
    peerSchema,
    given,
    'DIMSE peer',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const release = holdDimseLogLevel(peer.logLevel)
  return new Promise<void>((resolve, reject) => {
    const client = new Client()
    for (const r of requests) client.addRequest(r)
    client.on('networkError', (e: Error) =>
      reject(
        dimseError(
          peer,
          `DIMSE network error with ${peer.calledAet}@${peer.host}:${peer.port}: ${e.message}`,
          e,
        ),
      ),
    )
    client.on('associationRejected', (r: { reason?: unknown }) =>
      reject(dimseError(peer, `association rejected by ${peer.calledAet}: ${JSON.stringify(r)}`)),
    )
    client.on('closed', () => resolve())
    const ms = (peer.timeoutSeconds ?? 60) * 1000
    client.send(peer.host, peer.port, peer.callingAet ?? 'BTT', peer.calledAet, {
      connectTimeout: ms,
      associationTimeout: ms,
      pduTimeout: ms,
    })
  }).finally(release)
}

/** C-ECHO: whether the peer answers. */
export async function echoScu(peer: Peer): Promise<boolean> {
  let status: number | undefined
  const request = new CEchoRequest()
  request.on('response', (r: any) => {
    status = r.getStatus()
  })
  await send(peer, [request])
  return status === Status.Success
}

/** C-STORE of Part 10 files (paths); resolves with each file's status, rejects on network failure. */
export async function storeScu(
  peer: Peer,
  files: readonly string[],
): Promise<{ file: string; ok: boolean; status: number }[]> {
  const results: { file: string; ok: boolean; status: number }[] = []
  const requests = files.map((file) => {
    const request = new CStoreRequest(file)
    request.on('response', (r: any) =>
      results.push({ file, ok: r.getStatus() === Status.Success, status: r.getStatus() }),
    )
    return request
  })
  await send(peer, requests)
  return results
}

/** C-FIND at study level; resolves with the matching studies' attributes. */
export async function findStudiesScu(
  peer: Peer,
  query: Record<string, string>,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = []
  const request = CFindRequest.createStudyFindRequest({
    StudyInstanceUID: '',
    PatientID: '',
    ...query,
  })
  request.on('response', (r: any) => {
    if (r.getStatus() === Status.Pending && r.hasDataset()) found.push(r.getDataset().getElements())
  })
  await send(peer, [request])
  return found
}
