// @btt/compute/testing — synthetic studies for tests and demos (not for clinical use).
export { calibrationCases, lungNodule } from './calibrationCases.js'
export {
  mulberry32,
  type Nodule,
  type SyntheticChestOptions,
  syntheticChest,
} from './syntheticChest.js'
export { type SyntheticDicomOptions, writeDicom } from './writeDicom.js'
