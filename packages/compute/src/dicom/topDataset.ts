import type { TopElement } from './part10/walkDataset.js'

/** What the pixel pipeline reads from a dataset: dicom-parser's `DataSet` or a {@link TopDataset}. */
export type AttributeReader = {
  byteArray: Uint8Array
  elements: Record<string, { vr?: string | undefined; length: number; dataOffset: number }>
  string(tag: string): string | undefined
  uint16(tag: string): number | undefined
  floatString(tag: string): number | undefined
}

/** The top-level attributes {@link imageFromDataset} reads, as dicom-parser names them. */
export const IMAGE_ATTRIBUTES: ReadonlyMap<number, string> = new Map(
  [
    0x0020000d, 0x0020000e, 0x00080018, 0x00080016, 0x00080060, 0x00180015, 0x00281053, 0x00281052,
    0x00281050, 0x00281051, 0x00280010, 0x00280011, 0x00280100, 0x00280101, 0x00280008, 0x00280002,
    0x00280004, 0x00280102, 0x00280103, 0x00280006, 0x7fe00010,
  ].map((tag) => [tag, `x${tag.toString(16).padStart(8, '0')}`]),
)

/**
 * A few top-level attributes found by the structure walk, read as dicom-parser's `DataSet` reads
 * them (strings up to the first NUL and trimmed, the first value of a DS, unsigned shorts in the
 * dataset's byte order), without parsing every element.
 */
export class TopDataset implements AttributeReader {
  private readonly view: DataView

  constructor(
    readonly byteArray: Uint8Array,
    readonly elements: Record<string, TopElement>,
    private readonly littleEndian: boolean,
  ) {
    this.view = new DataView(byteArray.buffer, byteArray.byteOffset, byteArray.byteLength)
  }

  string(tag: string): string | undefined {
    const element = this.elements[tag]
    if (!element || !(element.length > 0)) return undefined
    const start = element.dataOffset
    const value = this.byteArray.subarray(start, start + element.length)
    const nul = value.indexOf(0)
    // one string per value (not one per character): each byte is a char code, as in dicom-parser
    return latin1(nul < 0 ? value : value.subarray(0, nul)).trim()
  }

  uint16(tag: string): number | undefined {
    const element = this.elements[tag]
    if (!element || element.length === 0) return undefined
    return this.view.getUint16(element.dataOffset, this.littleEndian)
  }

  floatString(tag: string): number | undefined {
    const value = this.string(tag)
    if (value === undefined) return undefined
    const bar = value.indexOf('\\')
    return Number.parseFloat(bar < 0 ? value : value.slice(0, bar).trim())
  }
}

/** Bytes as char codes 0–255, in chunks (an argument list has a limit). */
function latin1(bytes: Uint8Array): string {
  if (bytes.length <= 4096) return String.fromCharCode.apply(null, bytes as unknown as number[])
  let text = ''
  for (let i = 0; i < bytes.length; i += 4096)
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[])
  return text
}
