/**
 * The issues, by path, of an engine config that @btt/core refused (`defineConfig`'s error keeps
 * them, as `issues` or `details.issues`). Anything else is not a validation failure and is
 * rethrown.
 *
 * @param error - what `defineConfig` threw.
 * @returns every problem, with its path inside the engine config.
 */
export function engineConfigIssues(error: unknown): { path: string; message: string }[] {
  const e = error as { issues?: unknown; details?: { issues?: unknown } } | null
  const issues = e?.details?.issues ?? e?.issues
  if (!Array.isArray(issues) || !issues.length) throw error
  return issues.map((i: { path?: unknown; message?: unknown }) => ({
    path: String(i.path ?? '(root)'),
    message: String(i.message ?? ''),
  }))
}
