// @deprecated — the pre-BttError wrapper class, kept only while other packages migrate;
// `toBttError` (packages/core/src/errors.ts) now wraps foreign errors as `CoreError('CORE_UNKNOWN')`.
import { BaseError } from './base.js'

/** @deprecated Use `toBttError` from errors.ts: foreign errors become `CoreError('CORE_UNKNOWN')`. */
export type UnknownBttErrorType = UnknownBttError & { name: 'UnknownBttError' }

/** @deprecated Wraps something thrown that was not a {@link BaseError}; use `CORE_UNKNOWN`. */
export class UnknownBttError extends BaseError {
  override name = 'UnknownBttError' as const
}
