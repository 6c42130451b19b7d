/**
 * `pnpm btt …` from a checkout (the root package.json's `btt` script). pnpm runs a script in the
 * folder of its package.json, the repository root, so relative paths would resolve from there;
 * it sets INIT_CWD to the folder the caller ran it in. The CLI runs from that folder, as an
 * installed `btt` would. Not the published entry point (bin.ts): there the caller's folder is
 * already the working directory, and INIT_CWD may name another (an npm script's package).
 */
const callerDir = process.env.INIT_CWD
if (callerDir) process.chdir(callerDir)
await import('./bin.js')

export {}
