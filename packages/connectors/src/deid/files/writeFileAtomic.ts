import { stageFile } from './stageFile.js'

/**
 * Writes a file atomically: to a temporary name beside it, then renamed over the target, so a
 * reader (or a crash) never sees half a file. Creates the folder if needed; `bytes` may be parts.
 *
 * @throws {ConnectorsError} `DEID_OUTPUT_FAILED`.
 */
export function writeFileAtomic(target: string, bytes: Uint8Array | readonly Uint8Array[]): void {
  stageFile(target, bytes).commit()
}
