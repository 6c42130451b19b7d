import { resolve } from 'node:path'
import { runDemo } from './demo.js'
import { OutputRefused } from './output.js'

// Usage: pnpm demo [folder]   (default out/demo under the current folder)
// The folder must be missing, empty, or a previous demo output (it has btt-demo.json), which is
// replaced as a whole; anything else is refused, so no file of yours is overwritten.
// `pnpm demo` runs this in examples/demo; pnpm's INIT_CWD is the folder the command was typed in.
const out = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? 'out/demo')
try {
  const { dir } = await runDemo({ out, tty: process.stdout.isTTY === true })
  console.log(`\nOpen ${dir}/summary.html`)
} catch (error) {
  if (error instanceof OutputRefused) {
    console.error(`btt demo: ${error.message}`)
    process.exit(2)
  }
  throw error
}
