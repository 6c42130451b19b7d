/**
 * Run ONNX imaging models on DICOM studies (onnxruntime-node CPU/CUDA, WebGPU).
 *
 * @packageDocumentation
 * @module @btt/compute
 */

export {
  type AnalysisFailure,
  type AnalysisResult,
  type AnalysisTimings,
  type AnalyzeErrorType,
  type AnalyzeOptions,
  analyze,
  type Box,
  boxFromHeatmap,
  type Finding,
  type ImageResult,
  type Mask,
  maskFromOutput,
  type OutputChannel,
  probabilitiesFromOutput,
  type StudyInput,
} from './analyze.js'
export {
  type BackendChoice,
  type BackendName,
  type BackendRequest,
  probeBackend,
  selectBackend,
} from './backends/selectBackend.js'
export {
  checkPixelModule,
  type PixelModuleRule,
  pixelModuleRules,
} from './dicom/checkPixelModule.js'
export {
  type DecodeDicomErrorType,
  type DecodedImage,
  decodeDicom,
  type PixelArray,
  supportedTransferSyntaxes,
  transcodeDicom,
} from './dicom/decodeDicom.js'
export { naturalize } from './dicom/naturalize.js'
export {
  type InflatePart10ErrorType,
  inflatePart10,
  MAX_INFLATED_BYTES,
} from './dicom/part10/inflatePart10.js'
export { type ParsePart10ErrorType, parsePart10 } from './dicom/part10/parsePart10.js'
export {
  type ToPart10ErrorType,
  type ToPart10ReturnType,
  toPart10,
} from './dicom/part10/toPart10.js'
export { type UnSequencesAsSqErrorType, unSequencesAsSq } from './dicom/part10/unSequencesAsSq.js'
export type { PixelModule } from './dicom/readPixelModule.js'
export {
  ComputeError,
  type ComputeErrorCode,
  computeErrorCodes,
  toComputeError,
} from './errors.js'
export { type ModelManifest, type ModelManifestInput, manifestSchema } from './manifest/schema.js'
export { buildNoduleDemoModel, DEMO_INPUT_SIZE, dogKernel } from './model/buildNoduleDemoModel.js'
export { demoModelManifestPath } from './model/demoModel.js'
export {
  checkManifest,
  type LoadedModel,
  type LoadModelOptions,
  loadModel,
} from './model/loadModel.js'
export {
  inputGeometry,
  type PreprocessTarget,
  preprocessFrame,
} from './preprocess/preprocessFrame.js'
