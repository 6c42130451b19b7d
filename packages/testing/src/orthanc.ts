import assert from 'node:assert'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { tool } from './tool.js'

export type OrthancServer = {
  http: string
  dicomweb: string
  dicomPort: number
  aet: string
  stop(): Promise<void>
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export function orthancBinary(): string | undefined {
  return tool('Orthanc', 'orthanc')
}

/**
 * Starts Debian's Orthanc with the DICOMweb plugin on random loopback ports and a temporary storage
 * folder; `stop()` ends it and removes the folder.
 */
export async function startOrthanc(): Promise<OrthancServer> {
  const binary = orthancBinary()
  if (!binary) assert.fail('Orthanc is not installed (apt-get install orthanc orthanc-dicomweb)')
  const dir = mkdtempSync(join(tmpdir(), 'btt-orthanc-'))
  const httpPort = await freePort()
  const dicomPort = await freePort()
  const config = {
    Name: 'BTT-TEST',
    StorageDirectory: join(dir, 'storage'),
    IndexDirectory: join(dir, 'index'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: 'ORTHANC',
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    HttpBindAddress: '127.0.0.1',
    DicomCheckCalledAet: false,
    DicomAlwaysAllowFind: true,
    DicomAlwaysAllowStore: true,
    Plugins: ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so'],
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
    StableAge: 1,
  }
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config))
  // A watchdog shell runs Orthanc: it stops it (and removes the folder) when asked to, or as soon
  // as this Node process is gone — test workers can be torn down without running any hook.
  const watchdog = [
    `"$1" "$2/config.json" & o=$!`,
    `trap 'kill $o 2>/dev/null; wait $o; rm -rf "$2"; exit 0' TERM INT`,
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $o 2>/dev/null; do sleep 0.5; done`,
    `kill $o 2>/dev/null; wait $o; rm -rf "$2"`,
  ].join('\n')
  const child: ChildProcess = spawn('sh', ['-c', watchdog, 'orthanc-watchdog', binary, dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000)
  })
  const http = `http://127.0.0.1:${httpPort}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) assert.fail(`Orthanc exited (${child.exitCode}): ${stderr}`)
    try {
      const r = await fetch(`${http}/system`)
      if (r.ok) break
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      assert.fail(`Orthanc did not answer in 30 s: ${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    http,
    dicomweb: `${http}/dicom-web`,
    dicomPort,
    aet: 'ORTHANC',
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
        if (child.exitCode === null) child.kill('SIGKILL')
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Starts an Orthanc before the tests of the calling file and stops it after them; returns a getter
 * for the running server.
 */
export function useOrthanc(): () => OrthancServer {
  let server: OrthancServer | undefined
  beforeAll(async () => {
    server = await startOrthanc()
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })
  return () => {
    if (!server) assert.fail('Orthanc is not running')
    return server
  }
}
