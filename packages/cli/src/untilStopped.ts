import type { Io } from './io.js'

/**
 * Resolves on Ctrl-C, SIGTERM or the io's abort signal (embedding and tests): how every
 * long-running command (`pacs watch`, `payfi serve`, `ehr serve`, `coordinator start`,
 * `node start`) waits before it closes what it opened.
 */
export function untilStopped(io: Io): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      io.signal?.removeEventListener('abort', stop)
      resolve()
    }
    if (io.signal?.aborted) return stop()
    io.signal?.addEventListener('abort', stop, { once: true })
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
