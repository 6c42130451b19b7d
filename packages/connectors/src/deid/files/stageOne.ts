import { join } from 'node:path'
import type { Deidentifier } from '../deidentify.js'
import type { InputFile } from './collectInputs.js'
import { type ReadScratch, readInput } from './readInput.js'
import { type StagedFile, stageFile } from './stageFile.js'

/**
 * One file of a batch: read (into `scratch`), de-identified, and staged under a temporary name
 * beside `<out>/<relative>`; the caller commits it once the file's pseudonyms are in the vault.
 * The same step runs on the calling thread and in each worker of {@link deidentifyFiles}.
 *
 * @throws what {@link readInput}, the deidentifier and {@link stageFile} throw.
 */
export function stageOne(
  file: InputFile,
  deidentify: Deidentifier,
  out: string,
  scratch: ReadScratch,
): { staged: StagedFile; pseudonym: string | undefined } {
  const { parts, patient } = deidentify(readInput(file.path, scratch), file.path)
  return { staged: stageFile(join(out, file.relative), parts), pseudonym: patient.pseudonym }
}
