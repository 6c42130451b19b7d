// Test and bench processes: a TypeScript file of this folder run in its own Node process (tsx's
// loader in node itself, so a signal reaches the server), with an IPC channel.
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const tsx = createRequire(import.meta.url).resolve('tsx/esm')

/** Starts `file` (in this folder) with `args` and waits for its first IPC message. */
export async function startChild<T>(
  file: string,
  args: string[],
): Promise<{ child: ChildProcess; ready: T }> {
  const child = spawn(
    process.execPath,
    ['--import', tsx, '--conditions=@btt/source', join(import.meta.dirname, file), ...args],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  )
  let stderr = ''
  child.stderr!.on('data', (d) => {
    stderr = (stderr + d).slice(-2000)
  })
  child.stdout!.resume()
  const ready = await new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T))
    child.once('exit', (code) => reject(new Error(`${file} exited ${code}: ${stderr}`)))
  })
  return { child, ready }
}

/** Sends a request over IPC and waits for the child's answer to it. */
export function ask<T>(child: ChildProcess, request: Record<string, unknown>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the child exited ${code}`))
    child.once('exit', exited)
    child.once('message', (m) => {
      child.off('exit', exited)
      const answer = m as { error?: string }
      if (answer.error) reject(new Error(answer.error))
      else resolve(m as T)
    })
    child.send(request)
  })
}

/** Ends a child: SIGTERM, then SIGKILL after 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}
