/** The clock of one HTTP exchange: a no-progress timer and an optional overall deadline. */
export type ExchangeTimer = {
  /** Aborted when either limit passes (hand it to fetch). */
  signal: AbortSignal
  /** Rejects when either limit passes: race each body read against it. */
  expired: Promise<never>
  /** Why it expired, once it has. */
  readonly reason: string | undefined
  /** Waiting on the network: (re)starts the no-progress timer. */
  waiting(): void
  /** Not waiting (the caller holds the data): the no-progress timer stops; the deadline runs on. */
  idle(): void
  /** The exchange is over: both timers stop. */
  stop(): void
}

/**
 * A timer for a whole HTTP exchange — connect, headers and every read of the body: it fires when
 * the network makes no progress for `idleSeconds` while we wait on it, or when the exchange is
 * not over after `deadlineSeconds` (when given).
 *
 * @param limits - `idleSeconds` and optional `deadlineSeconds`.
 * @returns the timer, already waiting.
 * @example
 * ```ts
 * const timer = createExchangeTimer({ idleSeconds: 60 })
 * const response = await fetch(url, { signal: timer.signal })
 * ```
 */
export function createExchangeTimer(limits: {
  idleSeconds: number
  deadlineSeconds?: number | undefined
}): ExchangeTimer {
  const abort = new AbortController()
  let reason: string | undefined
  let fail: (why: string) => void = () => {}
  const expired = new Promise<never>((_, reject) => {
    fail = (why) => reject(new Error(why))
  })
  expired.catch(() => {}) // observed by whoever races it; never an unhandled rejection
  const fire = (why: string) => {
    if (reason) return
    reason = why
    clearTimeout(idle)
    clearTimeout(deadline)
    fail(why)
    abort.abort(new Error(why))
  }
  let idle: NodeJS.Timeout | undefined
  const deadline =
    limits.deadlineSeconds === undefined
      ? undefined
      : setTimeout(
          () => fire(`not finished within ${limits.deadlineSeconds} s`),
          limits.deadlineSeconds * 1000,
        )
  const timer: ExchangeTimer = {
    signal: abort.signal,
    expired,
    get reason() {
      return reason
    },
    waiting() {
      clearTimeout(idle)
      if (!reason)
        idle = setTimeout(
          () => fire(`no progress for ${limits.idleSeconds} s`),
          limits.idleSeconds * 1000,
        )
    },
    idle: () => clearTimeout(idle),
    stop() {
      clearTimeout(idle)
      clearTimeout(deadline)
    },
  }
  timer.waiting()
  return timer
}
