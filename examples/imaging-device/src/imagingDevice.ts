import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { createDevicePlugin } from './devicePlugin.js'
import { startGateway } from './gateway.js'

export const STUDY = '1.2.826.0.1.3680043.10.1398.700'
export const DEVICE_AET = 'DX_ROOM_2'

/**
 * A synthetic two-image chest study as the modality acquired it: image 1 with an opacity, unless
 * `opacity` is false (then neither has one).
 */
export function acquireStudy(dir: string, study = STUDY, opacity = true): string[] {
  mkdirSync(join(dir, 'acquired'), { recursive: true })
  return [opacity, false].map((withOpacity, i) => {
    const file = join(dir, 'acquired', `image-${i + 1}.dcm`)
    writeFileSync(
      file,
      writeDicom({
        frames: [
          syntheticChest({
            seed: 700 + i,
            nodules: withOpacity ? [{ x: 200, y: 300, radius: 12, contrast: 650 }] : [],
          }),
        ],
        rows: 512,
        columns: 512,
        studyInstanceUid: study,
        seriesInstanceUid: `${study}.1`,
        sopInstanceUid: `${study}.1.${i + 1}`,
        patientName: 'Li^Na',
        patientId: 'MRN-55102',
      }),
    )
    return file
  })
}

/**
 * The whole example: a BTT gateway (C-STORE SCP, analysis, results sent back by C-STORE) on
 * loopback, the modality's plugin with its own results SCP, one study acquired and sent, the SR
 * and SEG received and the findings read from the SR. Everything stops before it returns.
 *
 * @returns the lines it prints.
 */
export async function runImagingDevice(dir: string): Promise<string[]> {
  const out: string[] = []
  const say = (line: string) => out.push(line)
  const gateway = await startGateway({ dir: join(dir, 'gateway'), onEvent: (l) => say(`   ${l}`) })
  try {
    say(`1. BTT gateway: C-STORE SCP ${gateway.aet} on 127.0.0.1:${gateway.port}`)
    const device = await createDevicePlugin({
      aet: DEVICE_AET,
      dir: join(dir, 'device'),
      gateway: { host: '127.0.0.1', port: gateway.port, calledAet: gateway.aet },
    })
    try {
      gateway.addPeer(DEVICE_AET, { host: '127.0.0.1', port: device.port })
      say(
        `2. modality ${DEVICE_AET}: receives results on port ${device.port} (in the gateway's AE table)`,
      )
      const files = acquireStudy(join(dir, 'device'))
      say(
        `3. acquired study ${STUDY}: ${files.length} DX images; C-ECHO, then C-STORE to ${gateway.aet}`,
      )
      const { sent, received, report } = await device.sendStudy(files)
      say(
        `4. sent ${sent} images; received ${received.map((r) => r.modality).join(' + ')} for study ${report.studyInstanceUid}`,
      )
      say(`   SR by ${report.algorithm}: ${report.completion}, ${report.verification}`)
      for (const f of report.findings)
        say(
          `   finding: ${f.finding}, probability ${f.probability === undefined ? '?' : (f.probability * 100).toFixed(1)}%, on image ${f.image}`,
        )
      for (const e of report.evaluations) say(`   study: ${e.concept}: ${e.value}`)
      say(`   results in ${join(dir, 'device', 'received')}`)
    } finally {
      device.close()
    }
  } finally {
    gateway.close()
  }
  return out
}
