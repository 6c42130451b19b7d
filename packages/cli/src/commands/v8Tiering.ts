import { setFlagsFromString } from 'node:v8'

/**
 * The V8 setting `btt deid` runs under when it de-identifies on worker threads: a function is
 * optimised by TurboFan only after ten times as much use as by default (`--interrupt-budget`,
 * V8 11's default 67,584 × 10). Every thread is a V8 isolate that compiles its own optimised
 * code, on the same cores the threads de-identify on: for a batch of hundreds of files that
 * compiling costs more than it saves (packages/connectors/scripts/bench-deid-threads.ts: the
 * library over 521 files, one thread 267 ms, one thread with TurboFan compiling on it 337 ms,
 * two threads 284 ms under V8's defaults and 239 ms with this setting). Hot functions are still
 * optimised in a longer batch, a few hundred files later. On one thread it stays as it is: there
 * the compiling runs on an otherwise idle core. See packages/connectors/README.md, "Speed".
 */
export const delayedTiering = {
  /** Names the code cache kept for this setting (V8 refuses a cache made under other flags). */
  name: 'delayed-tiering',
  flags: '--interrupt-budget=675840',
} as const

/**
 * Applies {@link delayedTiering} to this process, before the code it is meant for is loaded and
 * before worker threads start (V8's flags are the process's, every thread's).
 */
export function delayOptimisation(): void {
  setFlagsFromString(delayedTiering.flags)
}
