import { CoreError } from '@btt/core'

/**
 * The issues, by path, of an engine config that @btt/core refused (`defineConfig` throws
 * `CORE_INVALID_CONFIG` with every problem in `details.issues`). Anything else is not a
 * validation failure and is rethrown as it is.
 *
 * @param error - what `defineConfig` threw.
 * @returns every problem, with its path inside the engine config.
 */
export function engineConfigIssues(error: unknown): { path: string; message: string }[] {
  const issues = error instanceof CoreError ? error.details?.issues : undefined
  if (
    !(error instanceof CoreError) ||
    error.code !== 'CORE_INVALID_CONFIG' ||
    !Array.isArray(issues)
  )
    throw error
  return issues.map((i: { path?: unknown; message?: unknown }) => ({
    path: String(i.path ?? '(root)'),
    message: String(i.message ?? ''),
  }))
}
