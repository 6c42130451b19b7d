// dcmjs and dicom-parser ship no types: @btt/compute keeps the one copy of their declarations.
/// <reference types="@btt/compute/dicom-types" />
