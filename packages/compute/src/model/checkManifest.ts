import type { ModelManifest } from '../manifest/schema.js'

type Meta = { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }

/**
 * Differences between a manifest and a session's real inputs and outputs, as readable lines.
 *
 * @param manifest - a parsed manifest.
 * @param session - the session (or its input/output names and metadata).
 * @returns one line per mismatch; empty when they agree.
 */
export function checkManifest(
  manifest: ModelManifest,
  session: {
    inputNames: readonly string[]
    outputNames: readonly string[]
    inputMetadata?: readonly Meta[]
    outputMetadata?: readonly Meta[]
  },
): string[] {
  const problems: string[] = []
  const input = session.inputMetadata?.find((m) => m.name === manifest.input.name)
  if (!session.inputNames.includes(manifest.input.name))
    problems.push(
      `input "${manifest.input.name}" not in the model (it has ${session.inputNames.join(', ')})`,
    )
  else if (input?.shape) {
    if (input.type && input.type !== manifest.input.dtype)
      problems.push(`input dtype is ${input.type}, manifest says ${manifest.input.dtype}`)
    if (input.shape.length !== 4)
      problems.push(`input has rank ${input.shape.length}, manifest says 4`)
    else
      manifest.input.shape.forEach((d, i) => {
        const actual = input.shape![i]
        const dynamic = typeof actual === 'string' || actual === -1
        if (d === -1 && !dynamic && i !== 0)
          problems.push(`input dim ${i} is ${actual}, manifest says dynamic`)
        if (d !== -1 && !dynamic && actual !== d)
          problems.push(`input dim ${i} is ${actual}, manifest says ${d}`)
      })
  }
  for (const out of manifest.outputs) {
    if (!session.outputNames.includes(out.name)) {
      problems.push(
        `output "${out.name}" not in the model (it has ${session.outputNames.join(', ')})`,
      )
      continue
    }
    const meta = session.outputMetadata?.find((m) => m.name === out.name)
    if (!meta?.shape) continue
    if ((out.kind === 'heatmap' || out.kind === 'mask') && meta.shape.length !== 4)
      problems.push(`${out.kind} output "${out.name}" has rank ${meta.shape.length}, needs 4`)
    const channels = meta.shape[1]
    if (
      out.kind === 'mask' &&
      out.labels &&
      typeof channels === 'number' &&
      channels !== out.labels.length
    )
      problems.push(
        `mask output "${out.name}" has ${channels} channels, manifest lists ${out.labels.length} labels`,
      )
    const last = meta.shape.at(-1)
    if (
      out.kind === 'scores' &&
      out.labels &&
      typeof last === 'number' &&
      last !== out.labels.length
    )
      problems.push(
        `output "${out.name}" has ${last} classes, manifest lists ${out.labels.length} labels`,
      )
  }
  return problems
}
