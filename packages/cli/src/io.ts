/** Where a command writes: process.stdout/stderr, or anything with `write` (tests). */
export type Io = {
  out: { write(s: string): boolean; isTTY?: boolean | undefined }
  err: { write(s: string): boolean }
  /** Stops a long-running command (`pacs watch`) as Ctrl-C would; for embedding and tests. */
  signal?: AbortSignal
  /** `--json`: commands print machine-readable output, errors print `{ code, message, details }`. */
  json?: boolean
  /** `--debug`: errors print their stack and causes. */
  debug?: boolean
}
