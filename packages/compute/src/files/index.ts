/**
 * Small file-system helpers the packages above @btt/compute share: folders created one level at a
 * time (Node 20's recursive mkdir loops forever under `/proc`) and regular files read with a bound
 * (a device or FIFO is refused, never read forever). Light: no model, DICOM or network code.
 *
 * @packageDocumentation
 * @module @btt/compute/files
 */
export { makeFolder } from './makeFolder.js'
export { readRegularFile } from './readRegularFile.js'
