export { dciodvfy, hasDciodvfy } from './dciodvfy.js'
export { freePort, type OrthancServer, orthancBinary, startOrthanc, useOrthanc } from './orthanc.js'
export { tool } from './tool.js'
