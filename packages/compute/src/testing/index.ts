/**
 * Synthetic studies for tests and demos (not for clinical use).
 *
 * @packageDocumentation
 * @module @btt/compute/testing
 */

export { calibrationCases, lungNodule } from './calibrationCases.js'
export { buildCorpus, type CorpusFile, type CorpusTools } from './corpus/buildCorpus.js'
export {
  compareWithDcmdump,
  type DcmjsDataset,
  type DcmjsElement,
} from './corpus/compareWithDcmdump.js'
export { cp246File } from './corpus/cp246File.js'
export { type DumpElement, type DumpTree, dcmdumpTree, parseDcmdump } from './corpus/readDcmdump.js'
export {
  mulberry32,
  type Nodule,
  type SyntheticChestOptions,
  syntheticChest,
} from './syntheticChest.js'
export { type SyntheticDicomOptions, writeDicom } from './writeDicom.js'
