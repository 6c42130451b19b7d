import { ComputeError } from '../../errors.js'

/** Where a reading problem lies: the reason and the byte offset in the file. */
export type ReadProblem = { reason: string; offset: number }

/** A `COMPUTE_UNREADABLE_DICOM` error whose message names the reason and the byte offset. */
export function unreadableAt(
  file: string,
  reason: string,
  offset: number,
  cause?: unknown,
): ComputeError {
  return new ComputeError(
    'COMPUTE_UNREADABLE_DICOM',
    `${file}: not a readable DICOM file: ${reason} (at byte ${offset}).`,
    { cause, details: { file, reason, offset } },
  )
}

/** Thrown inside the readers and turned into a {@link ComputeError} at the boundary. */
export class ReadFailure {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {}
}

/** A tag as `(gggg,eeee)`. */
export function tagName(group: number, element: number): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0')
  return `(${hex(group)},${hex(element)})`
}
