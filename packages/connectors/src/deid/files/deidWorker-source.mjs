// Source-mode worker entry (tests and `tsx` runs in the workspace): registers tsx's loader,
// then loads the TypeScript worker. The built package uses dist/deid/worker.js directly.
import { register } from 'tsx/esm/api'

register()
await import('./deidWorkerMain.ts')
