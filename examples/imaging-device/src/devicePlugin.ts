import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { naturalize } from '@btt/compute'
import { type CompletedStudy, createStoreScp, echoScu, type Peer, storeScu } from '@btt/connectors'
import { type DeviceReport, readReport } from './readReport.js'

export type DevicePluginOptions = {
  /** The modality's AE title: the gateway sends results back to it. */
  aet: string
  /** Port the modality receives results on (0: any free one). */
  port?: number
  /** A folder where received results are written. */
  dir: string
  /** The BTT gateway (host, port, AE title). */
  gateway: Peer
  /** Seconds to wait for the results of a study (default 120). */
  timeoutSeconds?: number
}

export type SentStudy = {
  sent: number
  /** The result objects received, by modality (SR, SEG). */
  received: { modality: string; file: string }[]
  report: DeviceReport
}

/**
 * The modality-side plugin: listens for results as a C-STORE SCP under the modality's AE title,
 * and `sendStudy` checks the gateway answers (C-ECHO), sends a study's images (C-STORE) and waits
 * for the SR of that study to come back, then reads its findings.
 *
 * @returns the port it receives results on, `sendStudy(files)` and `close()`.
 */
export async function createDevicePlugin(options: DevicePluginOptions) {
  const results = createStoreScp({
    port: options.port ?? 0,
    aet: options.aet,
    spoolDir: join(options.dir, 'received'),
    quietSeconds: 0.5,
  })
  const waiting = new Map<string, (study: CompletedStudy) => void>()
  results.onStudyComplete((study) => waiting.get(study.studyInstanceUid)?.(study))
  const port = await results.listen()
  const gateway = { callingAet: options.aet, timeoutSeconds: 30, ...options.gateway }

  /** The next completion of `study` on the results SCP, or a timeout; `cancel()` stops waiting. */
  function awaitStudy(study: string, ms: number) {
    let timer: NodeJS.Timeout | undefined
    const promise = new Promise<CompletedStudy>((resolve, reject) => {
      timer = setTimeout(() => {
        waiting.delete(study)
        reject(new Error(`no results for ${study} in ${ms / 1000} s`))
      }, ms)
      waiting.set(study, (s) => {
        clearTimeout(timer)
        waiting.delete(study)
        resolve(s)
      })
    })
    const cancel = () => {
      clearTimeout(timer)
      waiting.delete(study)
    }
    return { promise, cancel }
  }

  async function sendStudy(files: readonly string[]): Promise<SentStudy> {
    let sent = 0
    const study = String(naturalize(new Uint8Array(readFileSync(files[0]!))).StudyInstanceUID)
    if (!(await echoScu(gateway)))
      throw new Error(`the gateway ${gateway.calledAet} does not answer C-ECHO`)
    const back = awaitStudy(study, (options.timeoutSeconds ?? 120) * 1000)
    try {
      const statuses = await storeScu(gateway, files)
      const refused = statuses.filter((s) => !s.ok)
      if (refused.length)
        throw new Error(
          `the gateway refused ${refused.map((s) => `${s.file} (${s.status})`).join(', ')}`,
        )
      sent = statuses.length
    } catch (error) {
      back.cancel()
      throw error
    }
    const completed = await back.promise
    const received = completed.files.map((file) => ({
      modality: String(naturalize(new Uint8Array(readFileSync(file))).Modality),
      file,
    }))
    const sr = received.find((r) => r.modality === 'SR')
    if (!sr) throw new Error(`results for ${study} came back without an SR`)
    return { sent, received, report: readReport(new Uint8Array(readFileSync(sr.file))) }
  }

  return { port, sendStudy, close: () => results.close() }
}
