/**
 * The ledger on PostgreSQL (server scale). Explicit exports only.
 *
 * @packageDocumentation
 * @module @btt/payfi/postgres
 */

export { type OpenPostgresLedgerOptions, openPostgresLedger } from './openPostgresLedger.js'
export { postgresSchema } from './schema.js'
