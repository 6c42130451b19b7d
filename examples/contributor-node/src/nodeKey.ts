import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { newNodeKey } from '@btt/compute/network'

/**
 * The node's Ethereum key in `file` (mode 600): read when it exists, else made and written once
 * (a temporary file linked into place, so an existing key is never overwritten).
 *
 * @returns the private key and whether it was made now.
 */
export function loadOrCreateNodeKey(file: string): { privateKey: string; created: boolean } {
  try {
    return { privateKey: readFileSync(file, 'utf8').trim(), created: false }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const { privateKey } = newNodeKey()
  const tmp = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(tmp, `${privateKey}\n`, { mode: 0o600, flag: 'wx' })
    linkSync(tmp, file)
  } finally {
    unlinkSync(tmp)
  }
  return { privateKey, created: true }
}
