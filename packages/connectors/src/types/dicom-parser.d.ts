// Minimal typings for dicom-parser (it ships none in its package entry).
declare module 'dicom-parser' {
  export type Element = {
    tag: string
    vr?: string
    length: number
    dataOffset: number
    items?: { dataSet?: DataSet }[]
  }
  export type DataSet = {
    byteArray: Uint8Array
    elements: Record<string, Element>
    string(tag: string, index?: number): string | undefined
    uint16(tag: string, index?: number): number | undefined
    intString(tag: string, index?: number): number | undefined
    floatString(tag: string, index?: number): number | undefined
  }
  export function parseDicom(byteArray: Uint8Array, options?: Record<string, unknown>): DataSet
  const dicomParser: { parseDicom: typeof parseDicom }
  export default dicomParser
}
