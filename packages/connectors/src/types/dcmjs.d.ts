// The same ambient declarations as @btt/compute uses, kept in one place.
/// <reference path="../../../compute/src/types/dcmjs.d.ts" />
