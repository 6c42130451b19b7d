import { createHash } from 'node:crypto'

/** JSON with object keys sorted at every depth and no whitespace: the same value, the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    )
  return value
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex')
