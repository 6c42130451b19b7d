import type { LoadedModel } from '../model/loadModel.js'
import { boxOnGrid } from './boxFromHeatmap.js'
import { activate } from './grid.js'
import { maskOnGrid } from './maskFromOutput.js'
import { probabilitiesOnGrid } from './probabilitiesFromOutput.js'
import type { Finding, OutputChannel, Outputs } from './types.js'

/**
 * The manifest's findings for image `index` of a batch: each label's activated probability and
 * whether it reaches its threshold; for present findings, a box from the heatmap (`locateWith`)
 * and a mask at the source size (`segmentWith`, with per-pixel probabilities when asked for).
 */
export function findingsFor(
  manifest: LoadedModel['manifest'],
  outputs: Outputs,
  index: number,
  image: { rows: number; columns: number },
  withProbabilities: boolean,
): Finding[] {
  return manifest.findings.map((f) => {
    const spec = manifest.outputs.find((o) => o.name === f.output)!
    const out = outputs[f.output]!
    const classes = out.dims.at(-1) ?? 1
    const row = (out.data as Float32Array).subarray(index * classes, (index + 1) * classes)
    const probability = activate(row, spec.activation)[spec.labels!.indexOf(f.label)]!
    const present = probability >= f.threshold
    const finding: Finding = {
      label: f.label,
      probability,
      present,
      ...(f.code ? { code: f.code } : {}),
      ...(f.category ? { category: f.category } : {}),
    }
    if (present && f.locateWith) {
      const heat = outputs[f.locateWith]!
      const data = heat.data as Float32Array
      finding.box = boxOnGrid(data, heat.dims, index, image.columns, image.rows)
    }
    if (present && f.segmentWith) {
      const maskSpec = manifest.outputs.find((o) => o.name === f.segmentWith)!
      const out = outputs[f.segmentWith]!
      const channel: OutputChannel = {
        data: out.data as Float32Array,
        dims: out.dims,
        index,
        channel: maskSpec.labels!.indexOf(f.label),
        activation: maskSpec.activation,
      }
      const mask = maskOnGrid(channel, maskSpec.threshold ?? 0.5, image)
      if (mask.area > 0) {
        if (withProbabilities) mask.probabilities = probabilitiesOnGrid(channel, image)
        finding.mask = mask
      }
    }
    return finding
  })
}
