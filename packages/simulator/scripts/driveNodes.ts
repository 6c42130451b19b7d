// Times the per-node engine alone: `runs` runs of a preset (months of daily epochs), one thread.
// node --conditions=@btt/source --import tsx packages/simulator/scripts/driveNodes.ts [months] [runs] [preset]
import { createHash } from 'node:crypto'
import { prepareVariant } from '../src/engine/prepareVariant.js'
import { runNodes } from '../src/nodes/runNodes.js'
import { parseScenario } from '../src/scenario/parseScenario.js'
import { readScenarioFile } from '../src/scenario/readScenarioFile.js'

const months = Number(process.argv[2] ?? 12)
const runs = Number(process.argv[3] ?? 2)
const raw = structuredClone(readScenarioFile(process.argv[4] ?? 'seed-model')) as Record<
  string,
  unknown
>
raw.horizonMonths = months
raw.claims = []
const prepared = prepareVariant(parseScenario(raw).variants[0]!)
let nodeEpochs = 0
const cpu0 = process.cpuUsage()
const t0 = performance.now()
for (let r = 0; r < runs; r++) {
  const c0 = process.cpuUsage()
  const result = runNodes(prepared, r, 2026 + r)
  const c1 = process.cpuUsage(c0)
  nodeEpochs += result.nodeEpochs
  const hash = createHash('sha256')
  for (const series of [result.epochs, result.months])
    for (const k of Object.keys(series).sort())
      hash.update(k).update(new Uint8Array(series[k]!.buffer))
  console.log(
    `run ${r}: ${((c1.user + c1.system) / 1e6).toFixed(2)} s CPU, ${result.nodeEpochs} node-epochs, exact fallbacks ${result.exactFallbacks}, series sha256 ${hash.digest('hex').slice(0, 16)}`,
  )
}
const s = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
const cpuS = (cpu.user + cpu.system) / 1e6
console.log(
  `${nodeEpochs} node-epochs in ${s.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU: ${(nodeEpochs / cpuS / 1e6).toFixed(2)}M node-epochs per CPU-second; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
)
