// @btt/payfi/postgres — the ledger on PostgreSQL (server scale). Explicit exports only.
export { type OpenPostgresLedgerOptions, openPostgresLedger } from './openPostgresLedger.js'
export { postgresSchema } from './schema.js'
