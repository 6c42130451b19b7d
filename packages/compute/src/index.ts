// @btt/compute — run ONNX imaging models on DICOM studies (onnxruntime-node CPU/CUDA, WebGPU).
export {
  type AnalysisResult,
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
  type DecodedImage,
  decodeDicom,
  type PixelArray,
  supportedTransferSyntaxes,
  transcodeDicom,
} from './dicom/decodeDicom.js'
export {
  BackendUnavailableError,
  type BackendUnavailableErrorType,
  DicomParseError,
  type DicomParseErrorType,
  ManifestMismatchError,
  type ManifestMismatchErrorType,
  MissingPixelDataError,
  type MissingPixelDataErrorType,
  ModelHashMismatchError,
  type ModelHashMismatchErrorType,
  UnsupportedTransferSyntaxError,
  type UnsupportedTransferSyntaxErrorType,
  WrongModalityError,
  type WrongModalityErrorType,
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
