/**
 * SQLite schema. Amounts are TEXT decimal strings (lossless beyond 64 bits; never REAL). The
 * journal (transfers, entries) refuses UPDATE and DELETE by trigger.
 */
export const sqliteSchema = `
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY, currency TEXT NOT NULL, flags INTEGER NOT NULL,
  debits_pending TEXT NOT NULL, debits_posted TEXT NOT NULL,
  credits_pending TEXT NOT NULL, credits_posted TEXT NOT NULL, timestamp INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS transfers (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
  pending_id TEXT UNIQUE, legs TEXT NOT NULL, metadata TEXT NOT NULL,
  timestamp INTEGER NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS transfers_time ON transfers (timestamp);
CREATE TABLE IF NOT EXISTS entries (
  account_id TEXT NOT NULL, seq INTEGER NOT NULL, transfer_id TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  debits_pending TEXT NOT NULL, debits_posted TEXT NOT NULL,
  credits_pending TEXT NOT NULL, credits_posted TEXT NOT NULL,
  PRIMARY KEY (account_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS transfers_no_update BEFORE UPDATE ON transfers
  BEGIN SELECT RAISE(ABORT, 'the journal is immutable'); END;
CREATE TRIGGER IF NOT EXISTS transfers_no_delete BEFORE DELETE ON transfers
  BEGIN SELECT RAISE(ABORT, 'the journal is immutable'); END;
CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
  BEGIN SELECT RAISE(ABORT, 'the journal is immutable'); END;
CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
  BEGIN SELECT RAISE(ABORT, 'the journal is immutable'); END;
CREATE TABLE IF NOT EXISTS payments (
  id TEXT PRIMARY KEY, merchant_id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_merchant ON payments (merchant_id);
CREATE TABLE IF NOT EXISTS idempotency (
  merchant_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, response TEXT NOT NULL,
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (merchant_id, key)
);
CREATE INDEX IF NOT EXISTS idempotency_expiry ON idempotency (expires_at);
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, object_id TEXT NOT NULL,
  object_seq INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL,
  created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL, delivered_at INTEGER, last_error TEXT,
  UNIQUE (object_id, object_seq)
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (delivered_at, next_attempt_at);
CREATE TABLE IF NOT EXISTS api_keys (
  hash TEXT PRIMARY KEY, merchant_id TEXT NOT NULL, created_at INTEGER NOT NULL
);
`
