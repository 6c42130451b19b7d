import { z } from 'zod'
import { ComputeError } from '../errors.js'
import { parseArgs } from '../validate.js'
import { buildEpochStatement, type ComputeEpochStatement, serializeStatement } from './epoch.js'
import {
  type EpochInput,
  type EpochReceipt,
  epochReceiptSchema,
  measuredNodeSchema,
} from './epochSchemas.js'
import type { CoordinatorStore } from './types.js'

export type CloseEpochOptions = {
  epochId: string
  epoch: number
  epochSeconds: number
  /** Jobs finished at or after this time (Unix ms); all when omitted. */
  since?: number
  /** Jobs finished before this time (Unix ms). */
  until?: number
}

/**
 * Gathers an epoch from a coordinator's store — its paid receipts and its own measurements of
 * each node (uptime and latency from pings, exclusion from reputation) — and builds the
 * statement. The receipts it returns are the file `verify-epoch` recomputes from.
 */
export async function closeEpoch(
  store: CoordinatorStore,
  options: CloseEpochOptions,
  excludeBelow = 50,
): Promise<{ statement: ComputeEpochStatement; receipts: EpochReceipt[]; input: EpochInput }> {
  const o = parseArgs(
    z.strictObject({
      epochId: z.string(),
      epoch: z.number().int().min(0),
      epochSeconds: z.number().int().min(1),
      since: z.number().optional(),
      until: z.number().optional(),
    }),
    options,
    'closeEpoch options',
  )
  const jobs = (await store.jobs()).filter(
    (j) =>
      j.status === 'done' &&
      j.signed &&
      j.finishedAt >= (o.since ?? 0) &&
      j.finishedAt < (o.until ?? Number.POSITIVE_INFINITY),
  )
  const receipts = jobs.map((j) => ({
    clinic: j.clinic,
    billed: j.billed,
    currency: j.currency,
    usage: j.usage,
    signed: j.signed!,
    ...(j.measuredMicros !== undefined ? { measuredMicros: j.measuredMicros } : {}),
  }))
  const stats = await store.allStats()
  const nodes = (await store.nodes()).map((n) => {
    const s = stats.get(n.address.toLowerCase())
    return {
      address: n.address.toLowerCase(),
      region: n.capabilities.region,
      uptimePpm: s?.pings ? Math.round((s.pingsOk / s.pings) * 1_000_000) : 0,
      latencyMs: s?.pingsOk ? Math.round(s.latencyMsSum / s.pingsOk) : 0,
      gpuUnits: n.capabilities.gpuUnits,
      powerWatts: n.capabilities.powerWatts,
      backend: n.capabilities.backend,
      excluded: (s?.reputation ?? 100) < excludeBelow,
    }
  })
  const input = {
    epochId: o.epochId,
    epoch: o.epoch,
    epochSeconds: o.epochSeconds,
    receipts,
    nodes,
  }
  return { statement: buildEpochStatement(input), receipts, input }
}

/**
 * Recomputes a statement from its receipts and the measurements it states, and compares the
 * bytes: anyone holding the receipts can check the payouts.
 *
 * @param statementJson - the statement file's text.
 * @param receiptsJson - the receipts file's text (a JSON array).
 * @returns the recomputed statement when it is byte-identical.
 * @throws {ComputeError} `COMPUTE_STATEMENT_MISMATCH` listing the fields that differ;
 * `COMPUTE_BAD_REQUEST` for unreadable files; `COMPUTE_RECEIPT_INVALID` for a forged receipt.
 */
export function verifyEpoch(statementJson: string, receiptsJson: string): ComputeEpochStatement {
  let claimed: Record<string, unknown>
  let receipts: unknown
  try {
    claimed = JSON.parse(statementJson)
    receipts = JSON.parse(receiptsJson)
  } catch (error) {
    throw new ComputeError('COMPUTE_BAD_REQUEST', 'The statement or the receipts are not JSON.', {
      cause: error,
      details: { reason: 'invalid JSON' },
    })
  }
  const nodes = z.array(z.looseObject(measuredNodeSchema.shape)).safeParse(claimed.nodes)
  const list = z.array(epochReceiptSchema).safeParse(receipts)
  if (!nodes.success || !list.success)
    throw new ComputeError(
      'COMPUTE_BAD_REQUEST',
      'The statement or the receipts do not have the expected shape.',
      {
        details: { reason: 'schema' },
      },
    )
  const recomputed = buildEpochStatement({
    epochId: String(claimed.epochId),
    epoch: Number(claimed.epoch),
    epochSeconds: Number(claimed.epochSeconds),
    receipts: list.data,
    nodes: nodes.data.map((n) =>
      measuredNodeSchema.parse(
        Object.fromEntries(
          Object.keys(measuredNodeSchema.shape).map((k) => [k, n[k as keyof typeof n]]),
        ),
      ),
    ),
  })
  if (serializeStatement(recomputed) === serializeStatement(claimed as ComputeEpochStatement))
    return recomputed
  const differences = Object.keys({ ...recomputed, ...claimed }).filter(
    (k) =>
      JSON.stringify((recomputed as Record<string, unknown>)[k]) !== JSON.stringify(claimed[k]),
  )
  throw new ComputeError(
    'COMPUTE_STATEMENT_MISMATCH',
    `The statement differs from its receipts in: ${differences.join(', ')}.`,
    {
      details: { problems: differences },
    },
  )
}
