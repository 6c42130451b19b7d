/**
 * Reading what dcmtk reads, without loading the rest of compute or any DICOM library (what `btt
 * deid` loads).
 *
 * @packageDocumentation
 * @module @btt/compute/part10
 */

export { type ToPart10ErrorType, type ToPart10ReturnType, toPart10 } from './toPart10.js'
