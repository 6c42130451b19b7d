import type { EngineConfig } from '@btt/core'
import { type Ledger, openSqliteLedger } from '@btt/payfi'
import type { ChainConnection } from '@btt/payfi/evm'
import { z } from 'zod'
import { deploymentSchema, type Tokenization, type TokenizeDeployment } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'

export type OpenTokenizationParameters = {
  chain: ChainConnection
  deployment: TokenizeDeployment
  /** The PayFi ledger fees are recorded in; when absent, an embedded SQLite ledger at `ledgerPath`. */
  ledger?: Ledger
  /** File of the embedded ledger (default `tokenize-ledger.sqlite`); used only without `ledger`. */
  ledgerPath?: string
  config?: EngineConfig
}

/**
 * The context every operation takes: the PayFi ledger when one is given, an embedded one
 * (SQLite, `openSqliteLedger`) otherwise. `close()` closes only a ledger it opened itself.
 *
 * @param parameters - `{ chain, deployment, ledger?, ledgerPath?, config? }`.
 * @returns the context, with `close()`.
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT` (a bad deployment record),
 * `TOKENIZE_LEDGER_FAILED` (the embedded ledger cannot be opened).
 */
export function openTokenization(
  parameters: OpenTokenizationParameters,
): Tokenization & { close(): Promise<void> } {
  const p = parseTokenize(
    z.object({
      chain: z.custom<ChainConnection>((c) => typeof c === 'object' && c !== null && 'signer' in c),
      deployment: deploymentSchema,
      ledger: z
        .custom<Ledger>((l) => typeof l === 'object' && l !== null && 'write' in l)
        .optional(),
      ledgerPath: z.string().min(1).max(128).optional(),
      config: z.custom<EngineConfig>((c) => typeof c === 'object' && c !== null).optional(),
    }),
    parameters,
    'tokenization context',
  )
  let ledger = p.ledger
  const owned = !ledger
  if (!ledger)
    try {
      ledger = openSqliteLedger(p.ledgerPath ?? 'tokenize-ledger.sqlite')
    } catch (cause) {
      throw new TokenizeError('TOKENIZE_LEDGER_FAILED', 'Cannot open the embedded ledger.', {
        cause,
        details: { path: p.ledgerPath ?? 'tokenize-ledger.sqlite' },
      })
    }
  const opened = ledger
  return {
    chain: parameters.chain,
    deployment: p.deployment,
    ledger: opened,
    ...(p.config ? { config: p.config } : {}),
    async close() {
      if (owned) await opened.close()
    },
  }
}
