import type { Server } from 'node:http'
import { ComputeError } from '../errors.js'

/**
 * Starts `server` on `host:port`; a port in use or a host that cannot be bound rejects with
 * COMPUTE_NETWORK_UNAVAILABLE (it was an unhandled 'error' event that crashed the process).
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (cause: NodeJS.ErrnoException) =>
      reject(
        new ComputeError(
          'COMPUTE_NETWORK_UNAVAILABLE',
          `Cannot listen on ${host}:${port}: ${cause.code === 'EADDRINUSE' ? 'the port is in use' : cause.message}.`,
          { cause, details: { host, port } },
        ),
      )
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}
