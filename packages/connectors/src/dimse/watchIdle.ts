/** The socket side of an association that `watchIdle` needs. */
type Socket = {
  on(event: 'data' | 'close', fn: () => void): unknown
  end(): unknown
  destroy(): unknown
}

/**
 * The ARTIM and idle timers of one SCP connection (PS3.8 9.1.5): a peer that connects and sends
 * no A-ASSOCIATE-RQ within `artimMs`, or whose association sends nothing for `idleMs`, or that
 * does not close the connection within `artimMs` of a release, is timed out: `onTimeout` is told
 * whether an association was open (the caller sends A-ABORT), then the connection is closed.
 *
 * @param socket - the connection.
 * @param limits - `artimMs` and `idleMs`.
 * @param onTimeout - called once when a timer fires, before the socket is closed.
 * @returns `associated()` (the association was accepted) and `released()`.
 * @example
 * ```ts
 * const idle = watchIdle(socket, { artimMs: 30_000, idleMs: 30_000 }, (open) => open && scp.sendAbort())
 * ```
 */
export function watchIdle(
  socket: Socket,
  limits: { artimMs: number; idleMs: number },
  onTimeout: (associated: boolean) => void,
) {
  let associated = false
  let timer: NodeJS.Timeout | undefined
  const fire = () => {
    try {
      onTimeout(associated)
    } finally {
      socket.end()
      // a peer that keeps its side open is cut off
      setTimeout(() => socket.destroy(), 500).unref()
    }
  }
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(fire, associated ? limits.idleMs : limits.artimMs)
  }
  socket.on('data', arm)
  socket.on('close', () => clearTimeout(timer))
  arm()
  return {
    associated() {
      associated = true
      arm()
    },
    released() {
      associated = false
      arm()
    },
  }
}
