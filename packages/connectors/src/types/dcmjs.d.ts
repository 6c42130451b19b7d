// Minimal typings for the parts of dcmjs we use (dcmjs ships no .d.ts).
declare module 'dcmjs' {
  export namespace data {
    class DicomDict {
      constructor(meta: Record<string, unknown>)
      meta: Record<string, unknown>
      dict: Record<string, unknown>
      write(options?: Record<string, unknown>): ArrayBuffer
    }
    const DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDict
    }
    const DicomMetaDictionary: {
      naturalizeDataset(dict: Record<string, unknown>): Record<string, unknown>
      denaturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown>
      uid(): string
    }
  }
  const dcmjs: { data: typeof data }
  export default dcmjs
}
