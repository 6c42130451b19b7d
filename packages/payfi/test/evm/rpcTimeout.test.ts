import { createServer, type Socket } from 'node:net'
import { afterEach, expect, test } from 'vitest'
import { connectChain, connectReadOnly } from '../../src/evm/index.js'

let close: (() => Promise<void>) | undefined
afterEach(async () => close?.())

/** A TCP server that accepts and never answers; resolves each socket's close. */
async function silentServer() {
  const sockets: Socket[] = []
  const closed: Promise<void>[] = []
  const server = createServer((socket) => {
    sockets.push(socket)
    socket.resume() // reads the request (and sees the end of the stream) but never answers
    closed.push(new Promise((resolve) => socket.on('close', () => resolve())))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  close = async () => {
    for (const s of sockets) s.destroy()
    await new Promise((resolve) => server.close(resolve))
  }
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, sockets, closed }
}

test('a read-only call to a node that never answers times out, coded, and closes its socket', async () => {
  const server = await silentServer()
  await expect(connectReadOnly({ rpcUrl: server.url, timeoutSeconds: 0.3 })).rejects.toMatchObject({
    code: 'PAYFI_CHAIN_TIMEOUT',
    kind: 'timeout',
  })
  expect(server.sockets.length).toBeGreaterThan(0)
  await Promise.all(server.closed) // hangs (vitest timeout) while a socket stays open
  expect(server.sockets.every((s) => s.destroyed)).toBe(true)
}, 5_000)

test('connectChain to a node that never answers times out, coded, and closes its socket', async () => {
  const server = await silentServer()
  await expect(
    connectChain({ rpcUrl: server.url, privateKey: `0x${'11'.repeat(32)}`, timeoutSeconds: 0.3 }),
  ).rejects.toMatchObject({ code: 'PAYFI_CHAIN_TIMEOUT' })
  await Promise.all(server.closed)
  expect(server.sockets.length).toBeGreaterThan(0)
}, 5_000)
