// Writes standard/ps3.6-vr-dictionary.txt: every public data element's VR (tag → VR), as dcmjs's
// data dictionary (built from DICOM PS3.6) gives it. De-identification needs the VR of each
// element only for implicit-VR files, which do not carry it. Run: node scripts/build-vr-dictionary.mjs
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const dcmjs = require('dcmjs')
const version = JSON.parse(
  readFileSync(new URL('../node_modules/dcmjs/package.json', import.meta.url), 'utf8'),
).version
// multi-VR entries as implicit VR little endian reads them
const ONE = { ox: 'OW', xs: 'US', up: 'UL', lt: 'OW' }
const lines = Object.values(dcmjs.data.DicomMetaDictionary.nameMap)
  .filter((e) => e.vr !== 'na' && /^\([0-9A-F]{4},[0-9A-F]{4}\)$/i.test(e.tag))
  .map((e) => `${e.tag.slice(1, 5)}${e.tag.slice(6, 10)}`.toLowerCase() + ` ${ONE[e.vr] ?? e.vr}`)
  .sort()
writeFileSync(
  new URL('../standard/ps3.6-vr-dictionary.txt', import.meta.url),
  `# Public data elements and their VR (DICOM PS3.6), from dcmjs ${version}'s data dictionary.\n# Repeating groups (50xx, 60xx) are listed under 5000 / 6000. Multi-VR entries as implicit VR LE reads them.\n${[...new Set(lines)].join('\n')}\n`,
)
