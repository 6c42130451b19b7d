// dcmjs-codecs ships index.d.ts but no "types" entry that TypeScript's bundler resolution finds.
declare module 'dcmjs-codecs' {
  export const NativeCodecs: {
    initializeAsync(opts?: { webAssemblyModulePathOrUrl?: string }): Promise<void>
  }
  export class Transcoder {
    constructor(
      elementsOrBuffer?: Record<string, unknown> | ArrayBuffer,
      transferSyntaxUid?: string,
    )
    transcode(newTransferSyntaxUid?: string, parameters?: Record<string, unknown>): void
    getDicomPart10(writeOptions?: Record<string, unknown>): ArrayBuffer
  }
}
