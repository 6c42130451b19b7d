import type { ErrorKind } from '@btt/core'

/**
 * The `btt` command's exit codes. Every error the SDK throws carries a `kind` (from its package's
 * code table); the exit code follows from the kind, so every code of every package maps to one.
 * Documented in packages/cli/README.md; a test keeps the two in step.
 */
export const exitCodes = {
  /** Success. */
  ok: 0,
  /** The command ran but some items failed (each reported), e.g. one unreadable file in a batch. */
  partial: 1,
  /** Usage: unknown command or option, missing value. */
  usage: 2,
} as const

/** Exit code for each error kind. */
export const exitCodeByKind = {
  invalid_input: 3,
  not_found: 4,
  conflict: 5,
  unauthorized: 6,
  forbidden: 6,
  unavailable: 7,
  timeout: 8,
  io: 9,
  integrity: 10,
  internal: 70,
} as const satisfies Record<ErrorKind, number>
