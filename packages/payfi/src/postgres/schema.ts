/**
 * PostgreSQL schema: amounts NUMERIC(78,0) (any 256-bit integer, lossless; never float). The
 * journal (transfers, entries) refuses UPDATE and DELETE by trigger.
 */
export const postgresSchema = `
CREATE TABLE IF NOT EXISTS payfi_accounts (
  id TEXT PRIMARY KEY, currency TEXT NOT NULL, flags INTEGER NOT NULL,
  debits_pending NUMERIC(78,0) NOT NULL, debits_posted NUMERIC(78,0) NOT NULL,
  credits_pending NUMERIC(78,0) NOT NULL, credits_posted NUMERIC(78,0) NOT NULL,
  timestamp BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS payfi_transfers (
  seq BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, pending_id TEXT UNIQUE,
  legs TEXT NOT NULL, metadata JSONB NOT NULL, timestamp BIGINT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payfi_transfers_time ON payfi_transfers (timestamp);
CREATE INDEX IF NOT EXISTS payfi_transfers_metadata ON payfi_transfers USING GIN (metadata);
CREATE TABLE IF NOT EXISTS payfi_entries (
  account_id TEXT NOT NULL, seq BIGINT NOT NULL, transfer_id TEXT NOT NULL, timestamp BIGINT NOT NULL,
  debits_pending NUMERIC(78,0) NOT NULL, debits_posted NUMERIC(78,0) NOT NULL,
  credits_pending NUMERIC(78,0) NOT NULL, credits_posted NUMERIC(78,0) NOT NULL,
  PRIMARY KEY (account_id, seq)
);
CREATE OR REPLACE FUNCTION payfi_immutable() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'the journal is immutable'; END $$;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'payfi_transfers_immutable') THEN
    CREATE TRIGGER payfi_transfers_immutable BEFORE UPDATE OR DELETE ON payfi_transfers
      FOR EACH ROW EXECUTE FUNCTION payfi_immutable();
    CREATE TRIGGER payfi_entries_immutable BEFORE UPDATE OR DELETE ON payfi_entries
      FOR EACH ROW EXECUTE FUNCTION payfi_immutable();
  END IF;
END $$;
CREATE TABLE IF NOT EXISTS payfi_payments (
  id TEXT PRIMARY KEY, merchant_id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL,
  created BIGSERIAL
);
CREATE INDEX IF NOT EXISTS payfi_payments_merchant ON payfi_payments (merchant_id);
CREATE TABLE IF NOT EXISTS payfi_idempotency (
  merchant_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, response TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, PRIMARY KEY (merchant_id, key)
);
CREATE TABLE IF NOT EXISTS payfi_outbox (
  seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, object_id TEXT NOT NULL,
  object_seq INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL, created_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, delivered_at BIGINT,
  last_error TEXT, UNIQUE (object_id, object_seq)
);
CREATE TABLE IF NOT EXISTS payfi_api_keys (
  hash TEXT PRIMARY KEY, merchant_id TEXT NOT NULL, created_at BIGINT NOT NULL
);
`
