import { mulberry32, type Nodule, syntheticChest } from './syntheticChest.js'

/** A nodule position inside one of the synthetic lung fields (512-px image coordinates). */
export function lungNodule(rand: () => number): Nodule {
  const left = rand() < 0.5
  return {
    x: (left ? 170 : 342) + (rand() - 0.5) * 90,
    y: 260 + (rand() - 0.5) * 200,
    radius: 8 + rand() * 8,
    contrast: 450 + rand() * 350,
  }
}

/** Synthetic images, half with one nodule, half without, reproducible from the seed. */
export function calibrationCases({ seed, count }: { seed: number; count: number }) {
  const rand = mulberry32(seed)
  return Array.from({ length: count }, (_, i) => {
    const nodule = i % 2 === 0 ? lungNodule(rand) : undefined
    return { nodule, pixels: syntheticChest({ seed: seed + i, nodules: nodule ? [nodule] : [] }) }
  })
}
