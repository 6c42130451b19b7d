/**
 * A usage mistake: an unknown or missing subcommand, a missing or contradictory flag. `main`
 * prints `error CLI_USAGE: <message>` and the command's usage (`--json`: `{ code, message }`)
 * and exits 2. Structural (`code: 'CLI_USAGE'`, no `kind`), so @btt/core need not be loaded.
 */
export class UsageError extends Error {
  readonly code = 'CLI_USAGE'
  override name = 'UsageError'
}

/**
 * The subcommand `sub` of `command` ("btt payfi") if it is one of `expected`; otherwise a
 * UsageError naming it (or saying that none was given) and listing the expected ones.
 */
export function subcommand<T extends string>(
  command: string,
  sub: string | undefined,
  expected: readonly T[],
): T {
  if (sub !== undefined && (expected as readonly string[]).includes(sub)) return sub as T
  const list = expected.join(', ')
  throw new UsageError(
    sub === undefined
      ? `missing subcommand for "${command}"; expected one of ${list}`
      : `unknown subcommand "${sub}" for "${command}"; expected one of ${list}`,
  )
}

/** Throws a UsageError naming every flag of `names` that `values` lacks (or holds empty). */
export function requireFlags<V extends object, K extends keyof V & string>(
  command: string,
  values: V,
  names: readonly K[],
): asserts values is V & { [P in K]-?: NonNullable<V[P]> } {
  const missing = names.filter((n) => values[n] === undefined || (values[n] as unknown) === '')
  if (missing.length)
    throw new UsageError(
      `"${command}" needs ${missing.map((n) => `--${n}`).join(', ')} (missing ${missing.length === 1 ? 'flag' : 'flags'})`,
    )
}

/** Throws a UsageError when a command given no positional arguments got some. */
export function noPositionals(command: string, positionals: readonly string[]): void {
  if (positionals.length)
    throw new UsageError(
      `"${command}" takes no arguments besides its flags, got ${positionals.map((p) => JSON.stringify(p)).join(', ')}`,
    )
}

/** Throws a UsageError when more than one of `names` is given: they choose one thing. */
export function oneOf(values: Readonly<Record<string, unknown>>, names: readonly string[]): void {
  const given = names.filter((n) => values[n] !== undefined)
  if (given.length > 1)
    throw new UsageError(
      `--${given.join(' and --')} contradict each other: give one of ${names.map((n) => `--${n}`).join(', ')}`,
    )
}

/**
 * Folds the deprecated flag `old` into `current` (a UsageError when both are given) and prints a
 * one-line notice on `err` when `old` was used.
 */
export function deprecatedFlag<V extends Record<string, unknown>>(
  values: V,
  old: keyof V & string,
  current: keyof V & string,
  err: { write(s: string): boolean },
): void {
  if (values[old] === undefined) return
  oneOf(values, [current, old])
  err.write(`notice: --${old} is deprecated; use --${current}\n`)
  values[current] = values[old]
  delete values[old]
}
