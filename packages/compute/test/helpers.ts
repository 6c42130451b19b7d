import { calibrationCases } from '../src/testing/calibrationCases.js'
import { type Nodule, syntheticChest } from '../src/testing/syntheticChest.js'
import { type SyntheticDicomOptions, writeDicom } from '../src/testing/writeDicom.js'

export const chestDicom = (
  o: { seed?: number; nodules?: Nodule[] } & Partial<SyntheticDicomOptions> = {},
) =>
  writeDicom({
    frames: [syntheticChest({ seed: o.seed ?? 1, nodules: o.nodules ?? [] })],
    rows: 512,
    columns: 512,
    ...o,
  })

/** Held-out synthetic cases (different seeds from the model's calibration). */
export const heldOut = (count: number) => calibrationCases({ seed: 50_000, count })
