// The ambient declarations of the untyped DICOM libraries (dcmjs, dicom-parser, dcmjs-codecs),
// exported as `@btt/compute/dicom-types` so packages above compute share one copy:
// `/// <reference types="@btt/compute/dicom-types" />`
/// <reference path="./dcmjs.d.ts" />
/// <reference path="./dicom-parser.d.ts" />
/// <reference path="./dcmjs-codecs.d.ts" />
