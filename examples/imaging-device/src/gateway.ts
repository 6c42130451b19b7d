import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { analyze } from '@btt/compute'
import {
  createMeasurementReport,
  createSegmentations,
  createStoreScp,
  type Peer,
  storeScu,
} from '@btt/connectors'

export type GatewayOptions = {
  /** A folder for received studies and the results sent back. */
  dir: string
  /** This gateway's AE title (what the modality calls). */
  aet?: string
  /** Port to listen on (0: any free one). */
  port?: number
  /**
   * Where results go, by the calling AE title (a PACS's AE table; `addPeer` adds to it): a study
   * from an AE that is not here is analysed and its results kept, but not sent.
   */
  peers?: Record<string, Omit<Peer, 'calledAet'>>
  /** Seconds without a new instance after which a pushed study is complete (default 1). */
  quietSeconds?: number
  /** Told of each study received, analysed and answered (or failed). */
  onEvent?: (line: string) => void
}

export type Gateway = {
  aet: string
  port: number
  /** Adds an AE title to the table of where results go. */
  addPeer(aet: string, peer: Omit<Peer, 'calledAet'>): void
  close(): void
}

/**
 * The BTT side a modality talks to: a C-STORE SCP that, once a pushed study is complete, analyses
 * it on this machine with the demonstration model and C-STOREs a TID 1500 SR back to the AE title
 * that sent it (the SEG outlines, for a PACS, are kept in `dir/results`).
 *
 * @returns the AE title and port it listens on, `addPeer` and `close()`.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const aet = options.aet ?? 'BTT'
  const peers = new Map(Object.entries(options.peers ?? {}))
  const say = options.onEvent ?? (() => {})
  const scp = createStoreScp({
    port: options.port ?? 0,
    aet,
    spoolDir: join(options.dir, 'spool'),
    quietSeconds: options.quietSeconds ?? 1,
  })
  scp.onStudyComplete((study) => {
    answer(study, { ...options, aet, peers }, say).catch((error) =>
      say(`gateway: study ${study.studyInstanceUid} failed: ${(error as Error).message}`),
    )
  })
  const port = await scp.listen()
  return {
    aet,
    port,
    addPeer: (name, peer) => peers.set(name, peer),
    close: () => scp.close(),
  }
}

async function answer(
  study: { studyInstanceUid: string; files: string[]; callingAet: string },
  options: { dir: string; aet: string; peers: Map<string, Omit<Peer, 'calledAet'>> },
  say: (line: string) => void,
): Promise<void> {
  const uid = study.studyInstanceUid
  say(`gateway: study ${uid} from ${study.callingAet} complete (${study.files.length} instances)`)
  const sources = study.files.map((f) => new Uint8Array(readFileSync(f)))
  const result = await analyze(study.files)
  const out = join(options.dir, 'results', uid)
  mkdirSync(out, { recursive: true })
  const sr = join(out, 'report.sr.dcm')
  writeFileSync(sr, createMeasurementReport(result, { sources }))
  // the SEG outlines are for the PACS; the modality gets the SR it can show
  const segs = createSegmentations(result, { sources })
  for (const [i, seg] of segs.entries()) writeFileSync(join(out, `outline-${i + 1}.seg.dcm`), seg)
  const peer = options.peers.get(study.callingAet)
  if (!peer) {
    say(`gateway: ${study.callingAet} is not in the AE table; results kept in ${out}`)
    return
  }
  const [sent] = await storeScu(
    { timeoutSeconds: 30, ...peer, calledAet: study.callingAet, callingAet: options.aet },
    [sr],
  )
  say(
    `gateway: analysed on ${result.backend.name}; SR ${sent?.ok ? 'sent' : `refused (status ${sent?.status})`} to ${study.callingAet}@${peer.host}:${peer.port}; ${segs.length} SEG kept for the PACS in ${out}`,
  )
}
