import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  ConnectorsError,
  createDicomwebClient,
  createStoreScp,
  openJobStore,
  openVault,
  watchPacs,
} from '@btt/connectors'
import { defaultConfig, formatUnits } from '@btt/core'
import { makeFolder } from '../outputFolder.js'
import { untilStopped } from '../untilStopped.js'
import { requireFlags, subcommand, UsageError } from '../usage.js'
import type { Io } from './sim.js'

export const pacsUsage = `Usage:
  btt pacs watch --dicomweb <url> [--jobs <jobs.sqlite>] [--interval <seconds>] [--once]
                 [--aet <AE title> --port <n> [--spool <dir>]]   also receive studies by C-STORE
                 [--study-quiet <seconds>]   a pushed study is complete once no instance of it
                                             came for this long (default 10)
                 [--remote --vault <vault.sqlite>] [--model <manifest.json>] [--header 'Name: value']
                 [--sr-only]   store no DICOM SEG even when the model outputs masks`

/** The flags of `btt pacs watch`, checked (a UsageError names the first that is wrong). */
function parseFlags(argv: string[]) {
  const [sub, ...rest] = argv
  const { values } = parseArgs({
    args: rest,
    options: {
      dicomweb: { type: 'string' },
      jobs: { type: 'string', default: 'btt-jobs.sqlite' },
      interval: { type: 'string', default: '30' },
      once: { type: 'boolean', default: false },
      remote: { type: 'boolean', default: false },
      vault: { type: 'string', default: 'btt-vault.sqlite' },
      model: { type: 'string' },
      header: { type: 'string', multiple: true },
      aet: { type: 'string' },
      port: { type: 'string', default: '11112' },
      spool: { type: 'string', default: 'btt-spool' },
      'study-quiet': { type: 'string', default: '10' },
      'sr-only': { type: 'boolean', default: false },
    },
  })
  subcommand('btt pacs', sub, ['watch'])
  requireFlags('btt pacs watch', values, ['dicomweb'])
  const port = Number(values.port)
  const interval = Number(values.interval)
  const quiet = Number(values['study-quiet'])
  const usage = (message: string) => {
    throw new UsageError(message)
  }
  if (!/^\d{1,5}$/.test(values.port) || port > 65_535)
    usage(`--port must be a port number (0 for any free one), not "${values.port}"`)
  if (values['study-quiet'].trim() === '' || !(quiet >= 0 && quiet <= 86_400))
    usage(
      `--study-quiet must be a number of seconds from 0 to 86400, not "${values['study-quiet']}"`,
    )
  // under 1 s the PACS is polled in a tight loop; over a day setTimeout overflows to 1 ms
  if (!(interval >= 1 && interval <= 86_400))
    usage(`--interval must be a number of seconds from 1 to 86400, not "${values.interval}"`)
  const headers = Object.fromEntries(
    (values.header ?? []).map((h) => {
      const i = h.indexOf(':')
      if (i < 1) usage(`--header must be 'Name: value', not "${h}"`)
      return [h.slice(0, i).trim(), h.slice(i + 1).trim()]
    }),
  )
  return { ...values, dicomweb: values.dicomweb, port, interval, quiet, headers }
}

/** `btt pacs watch`: analyse new PACS studies and store DICOM SR results back. */
export async function pacsCommand(argv: string[], io: Io): Promise<number> {
  const values = parseFlags(argv)
  const { port, interval, quiet, headers } = values
  const pacs = createDicomwebClient({ url: values.dicomweb, headers })
  const jobs = openJobStore(values.jobs)
  const vault = values.remote ? openVault(values.vault) : undefined
  try {
    const watcher = watchPacs({
      pacs,
      jobs,
      intervalSeconds: interval,
      segmentation: !values['sr-only'],
      ...(values.model ? { analyze: { model: values.model } } : {}),
      ...(vault ? { remote: { vault } } : {}),
    })
    const failures = report(watcher, io)
    if (values.once) {
      const n = await watcher.pollOnce()
      const failed = failures.count ? `, ${failures.count} failed` : ''
      io.out.write(`${n} study(ies) analysed${failed}; jobs in ${values.jobs}\n`)
      return failures.count ? 1 : 0 // some items failed, each reported
    }
    // the SCP listens first: a port that cannot be had fails the command before anything runs
    if (values.aet) makeSpool(values.spool)
    const scp = values.aet
      ? createStoreScp({ port, aet: values.aet, spoolDir: values.spool, quietSeconds: quiet })
      : undefined
    if (scp) {
      scp.onStudyComplete(({ studyInstanceUid, files }) => {
        try {
          const bytes = files.map((f) => new Uint8Array(readFileSync(f)))
          void watcher.ingest(studyInstanceUid, bytes)
        } catch (error) {
          // a spool file removed or unreadable: that study fails, the command goes on
          io.out.write(`✖ study ${studyInstanceUid}: ${(error as Error).message}\n`)
        }
      })
      const listening = await scp.listen().catch((error) => {
        scp.close()
        throw error
      })
      io.out.write(
        `receiving C-STORE as ${values.aet} on port ${listening}, spooling to ${values.spool}\n`,
      )
    }
    io.out.write(`watching ${values.dicomweb} every ${values.interval}s (Ctrl-C to stop)\n`)
    watcher.start()
    await untilStopped(io)
    scp?.close()
    await watcher.stop()
    return 0
  } finally {
    jobs.close()
    vault?.close()
  }
}

/** --spool, made one level at a time: the SCP's recursive mkdir loops forever under /proc. */
function makeSpool(spool: string): void {
  try {
    makeFolder(spool)
  } catch (cause) {
    throw new ConnectorsError(
      'CONNECTORS_INVALID_ARGUMENT',
      `--spool ${spool}: cannot create the folder.`,
      {
        cause,
        details: { spool },
      },
    )
  }
}

/**
 * Prints each study, result (a charge, or an update that is not charged again) and failure;
 * counts the failures (`--once` exits 1 when there were any).
 */
function report(watcher: ReturnType<typeof watchPacs>, io: Io): { count: number } {
  const failures = { count: 0 }
  watcher.onStudyComplete((e) =>
    io.out.write(
      `→ study ${e.studyInstanceUid} (${e.instances} instances)${e.update ? ', an update' : ''}\n`,
    ),
  )
  watcher.onResult((e) => {
    io.out.write(
      `✔ study ${e.studyInstanceUid}: ${e.findings} finding(s), SR ${e.srSopInstanceUid}${e.segSopInstanceUids.length ? `, SEG ${e.segSopInstanceUids.join(', ')}` : ''}\n`,
    )
    if (e.supersedes) io.out.write(`  supersedes SR ${e.supersedes}; not charged again\n`)
    if (e.charge)
      io.out.write(
        `  charge ${formatUnits(e.charge.total, defaultConfig.computePricing.minorDecimals, { trim: false })} ${e.charge.currency}\n`,
      )
    for (const w of e.warnings) io.out.write(`  ! ${w}\n`)
  })
  watcher.onFailure((e) => {
    failures.count++
    io.out.write(`✖ study ${e.studyInstanceUid}: ${e.error.message.split('\n')[0]}\n`)
  })
  return failures
}
