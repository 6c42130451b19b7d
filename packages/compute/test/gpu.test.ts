import { describe, expect, test } from 'vitest'
import { analyze } from '../src/analyze.js'
import { probeBackend } from '../src/backends/selectBackend.js'
import { chestDicom } from './helpers.js'

// GPU paths: run where the machine has the backend, skip with the reason where it has not.
for (const backend of ['cuda', 'webgpu'] as const) {
  const why = await probeBackend(backend)
  if (why) console.warn(`gpu.test: skipping ${backend}: ${why}`)
  describe.skipIf(why !== null)(`${backend} backend`, () => {
    test(`the demo model gives the CPU's answers on ${backend}`, async () => {
      const items = [
        chestDicom({ seed: 5, nodules: [{ x: 170, y: 250, radius: 12 }] }),
        chestDicom({ seed: 6 }),
      ]
      const gpu = await analyze(items, { backend })
      const cpu = await analyze(items, { backend: 'cpu' })
      expect(gpu.backend.name).toBe(backend)
      expect(gpu.images.map((i) => i.findings[0]!.present)).toEqual([true, false])
      for (const [i, img] of gpu.images.entries())
        expect(img.findings[0]!.probability).toBeCloseTo(cpu.images[i]!.findings[0]!.probability, 3)
    })
  })
}
