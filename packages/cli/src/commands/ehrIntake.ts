import { existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ConnectorsError } from '@btt/connectors'
import { createFhirClient, createIncentiveEngine, type IncentiveEngine } from '@btt/connectors/ehr'
import { openSqliteLedger, type PayfiStore } from '@btt/payfi'
import { removeDatabase } from '../outputFolder.js'
import { readInputText } from '../readInputFile.js'
import { requireFlags, UsageError } from '../usage.js'

/** The incentive-intake flags of `btt ehr serve`. */
export type IntakeFlags = {
  'points-db'?: string | undefined
  state?: string | undefined
  'pseudonym-key-file'?: string | undefined
  'intake-fhir'?: string | undefined
  subscription: string[]
  'poll-seconds': number
  'client-key'?: string | undefined
}

/** What `openIntake` opens: every path and the key, checked. */
export type IntakePlan = {
  points: string
  state: string
  pseudonymKey: string
  fhir: string
  subscriptions: string[]
}

/** Reads a file named by a flag; a coded error (not CORE_UNKNOWN) when it cannot be read. */
export function readInput(file: string, flag: string): string {
  try {
    return readInputText(file)
  } catch (cause) {
    throw new ConnectorsError('CONNECTORS_INVALID_ARGUMENT', `${flag}: cannot read ${file}.`, {
      cause,
      details: { flag, file },
    })
  }
}

const invalid = (flag: string, file: string, why: string) =>
  new ConnectorsError('CONNECTORS_INVALID_ARGUMENT', `${flag} ${file}: ${why}.`, {
    details: { flag, file },
  })

/**
 * Checks the intake flags and reads the pseudonym key, creating nothing: the plan, or undefined
 * without --points-db (where the other intake flags are refused rather than ignored).
 */
export function checkIntake(f: IntakeFlags): IntakePlan | undefined {
  if (!f['points-db']) {
    const stray: string[] = (['state', 'pseudonym-key-file', 'intake-fhir'] as const).filter(
      (k) => f[k] !== undefined,
    )
    if (f.subscription.length) stray.push('subscription')
    if (f['poll-seconds']) stray.push('poll-seconds')
    if (stray.length)
      throw new UsageError(`--${stray.join(', --')}: only with --points-db (the incentive intake)`)
    return undefined
  }
  requireFlags('btt ehr serve --points-db', f, ['state', 'pseudonym-key-file', 'intake-fhir'])
  const keyFile = f['pseudonym-key-file']
  const pseudonymKey = readInput(keyFile, '--pseudonym-key-file').trim()
  if (pseudonymKey.length < 16)
    throw invalid('--pseudonym-key-file', keyFile, 'the key must have at least 16 characters')
  const inputs = [keyFile, f['client-key']].filter((x) => x !== undefined).map((x) => resolve(x))
  const [points, state] = [resolve(f['points-db']), resolve(f.state)]
  if (points === state) throw invalid('--state', f.state, 'is also the --points-db')
  for (const [flag, path] of [
    ['--points-db', points],
    ['--state', state],
  ] as const) {
    if (inputs.includes(path)) throw invalid(flag, path, 'is an input (a key file)')
    if (existsSync(path) && !statSync(path).isFile()) throw invalid(flag, path, 'is not a file')
    const folder = dirname(path)
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      throw invalid(flag, path, 'its folder does not exist')
  }
  return { points, state, pseudonymKey, fhir: f['intake-fhir'], subscriptions: f.subscription }
}

/**
 * Opens the points ledger and the intake engine. On failure what was opened is closed and the
 * databases this call created are removed: a refused start leaves nothing behind.
 */
export async function openIntake(
  plan: IntakePlan,
): Promise<{ engine: IncentiveEngine; ledger: PayfiStore }> {
  const created = [plan.points, plan.state].filter((p) => !existsSync(p))
  let ledger: PayfiStore | undefined
  try {
    ledger = openSqliteLedger(plan.points)
    const engine = createIncentiveEngine({
      fhir: createFhirClient({ baseUrl: plan.fhir }),
      ledger,
      statePath: plan.state,
      pseudonymKey: plan.pseudonymKey,
      subscriptions: plan.subscriptions,
    })
    return { engine, ledger }
  } catch (error) {
    await ledger?.close().catch(() => {})
    for (const p of created) removeDatabase(p)
    throw error
  }
}
