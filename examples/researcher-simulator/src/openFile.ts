import { spawn } from 'node:child_process'

/**
 * Opens a file with the desktop's default application (xdg-open, open, or start), without
 * waiting for it. Resolves false when no opener could be started (a server without a desktop).
 */
export function openFile(file: string): Promise<boolean> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [file]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', file]]
        : ['xdg-open', [file]]
  return new Promise((resolve) => {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true })
    child.once('error', () => resolve(false))
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
  })
}
