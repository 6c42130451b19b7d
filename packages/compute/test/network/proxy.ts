import type { AddressInfo } from 'node:net'
import { connect, createServer, type Server, type Socket } from 'node:net'

/** A loopback TCP proxy that keeps every byte it forwards, both ways. */
export async function captureProxy(targetPort: number): Promise<{
  port: number
  bytes(): Buffer
  close(): Promise<void>
}> {
  const chunks: Buffer[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => {})
      s.on('close', () => sockets.delete(s))
    }
    client.on('data', (d) => {
      chunks.push(Buffer.from(d))
      upstream.write(d)
    })
    upstream.on('data', (d) => {
      chunks.push(Buffer.from(d))
      client.write(d)
    })
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    bytes: () => Buffer.concat(chunks),
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
