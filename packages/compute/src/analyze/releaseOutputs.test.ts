import { describe, expect, test } from 'vitest'
import { analyze } from '../analyze.js'
import { demoModelManifestPath } from '../model/demoModel.js'
import { type LoadedModel, loadModel } from '../model/loadModel.js'
import { syntheticChest } from '../testing/syntheticChest.js'
import { writeDicom } from '../testing/writeDicom.js'
import { maskOnGrid } from './maskFromOutput.js'
import type { Outputs } from './types.js'

const files = [0, 1].map((i) =>
  writeDicom({
    frames: [syntheticChest({ seed: 300 + i, nodules: [{ x: 170, y: 250, radius: 14 }] })],
    rows: 512,
    columns: 512,
  }),
)

/** The model with its session's runs recorded (the same session: still this package's own). */
async function recorded() {
  const model = await loadModel(demoModelManifestPath(), { backend: 'cpu' })
  const seen: Outputs[] = []
  const session = model.session as unknown as { run: (...a: unknown[]) => Promise<unknown> }
  const run = session.run
  session.run = async (...a: unknown[]) => {
    const outputs = (await run.apply(model.session, a)) as Outputs
    seen.push(outputs)
    return outputs
  }
  const restore = () => {
    session.run = run
  }
  return { model, seen, restore }
}

/** The model behind a wrapper session (a caller's own), its runs' outputs recorded. */
async function wrapped() {
  const base = await loadModel(demoModelManifestPath(), { backend: 'cpu' })
  const seen: Outputs[] = []
  const model: LoadedModel = {
    ...base,
    session: {
      ...base.session,
      run: async (feeds: never) => {
        const o = (await base.session.run(feeds)) as unknown as Outputs
        seen.push(o)
        return o as never
      },
    } as LoadedModel['session'],
  }
  return { model, seen }
}

const masksOf = (r: Awaited<ReturnType<typeof analyze>>) =>
  r.images.flatMap((i) => i.findings.flatMap((f) => (f.mask ? [f.mask] : [])))

describe('analyze frees its own session outputs once read', () => {
  test("the outputs' memory is freed (detached); the results, masks included, are whole", async () => {
    const { model, seen, restore } = await recorded()
    try {
      const result = await analyze(files, { model })
      expect(seen.length).toBeGreaterThan(0)
      for (const outputs of seen)
        for (const o of Object.values(outputs))
          expect((o.data as Float32Array).buffer.byteLength).toBe(0)
      const masks = masksOf(result)
      expect(masks.length).toBe(2)
      // the same masks from a caller's session, whose outputs are left alone
      const reference = masksOf(await analyze(files, { model: (await wrapped()).model }))
      for (const [k, m] of masks.entries()) {
        expect(m.pixels.length).toBe(512 * 512)
        expect(Buffer.from(m.pixels).equals(Buffer.from(reference[k]!.pixels))).toBe(true)
        expect(m.pixels.reduce((a, b) => a + b, 0)).toBe(m.area)
      }
    } finally {
      restore()
    }
  })

  test("a caller's own session (a wrapper object) gets its outputs back untouched", async () => {
    const { model, seen } = await wrapped()
    await analyze(files, { model })
    expect(seen.length).toBeGreaterThan(0)
    for (const outputs of seen)
      for (const o of Object.values(outputs))
        expect((o.data as Float32Array).buffer.byteLength).toBeGreaterThan(0)
  })
})

describe('a mask built on first read', () => {
  const data = Float32Array.from({ length: 16 }, (_, i) => (i === 5 || i === 6 ? 4 : -4))
  const mask = () =>
    maskOnGrid({ data, dims: [1, 1, 4, 4], index: 0, channel: 0, activation: 'sigmoid' }, 0.5, {
      rows: 8,
      columns: 8,
    })

  test('reads as a plain property: JSON, spread, structuredClone, keys; built once', () => {
    const m = mask()
    expect(Object.keys(m)).toEqual(['rows', 'columns', 'pixels', 'area'])
    expect(m.area).toBe(8)
    expect(m.pixels).toBe(m.pixels) // kept after the first read
    expect(Array.from(m.pixels.subarray(16, 24))).toEqual([0, 0, 1, 1, 1, 1, 0, 0])
    expect({ ...m }.pixels).toBe(m.pixels)
    const cloned = structuredClone(m)
    expect(Array.from(cloned.pixels)).toEqual(Array.from(m.pixels))
    expect(JSON.parse(JSON.stringify(m)).pixels['18']).toBe(1)
    // reading it later still gives the same (the grid scratch was reused meanwhile)
    const later = mask()
    mask()
    expect(Array.from(later.pixels)).toEqual(Array.from(m.pixels))
  })

  test('assigning replaces it', () => {
    const m = mask()
    const mine = new Uint8Array(64)
    m.pixels = mine
    expect(m.pixels).toBe(mine)
  })
})
