// The same ambient declarations as @btt/compute uses, kept in one place.
/// <reference path="../../../compute/src/types/dicom-parser.d.ts" />
