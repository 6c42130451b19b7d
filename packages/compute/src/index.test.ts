import { expect, test } from 'vitest'
import * as compute from './index.js'
import * as testing from './testing/index.js'

// An export added or removed shows up here, in review.
test('the root entry exports exactly these names', () => {
  expect(Object.keys(compute).sort()).toEqual([
    'ComputeError',
    'DEMO_INPUT_SIZE',
    'MAX_INFLATED_BYTES',
    'analyze',
    'boxFromHeatmap',
    'buildNoduleDemoModel',
    'checkManifest',
    'checkPixelModule',
    'computeErrorCodes',
    'decodeDicom',
    'demoModelManifestPath',
    'dogKernel',
    'inflatePart10',
    'inputGeometry',
    'loadModel',
    'manifestSchema',
    'maskFromOutput',
    'naturalize',
    'parsePart10',
    'pixelModuleRules',
    'preprocessFrame',
    'probabilitiesFromOutput',
    'probeBackend',
    'selectBackend',
    'supportedTransferSyntaxes',
    'toComputeError',
    'toPart10',
    'transcodeDicom',
    'unSequencesAsSq',
  ])
})

test('@btt/compute/testing exports exactly these names', () => {
  expect(Object.keys(testing).sort()).toEqual([
    'buildCorpus',
    'calibrationCases',
    'compareWithDcmdump',
    'cp246File',
    'dcmdumpTree',
    'lungNodule',
    'mulberry32',
    'parseDcmdump',
    'syntheticChest',
    'writeDicom',
  ])
})
