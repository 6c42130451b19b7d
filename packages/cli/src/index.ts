/**
 * The `btt` command as a function: `main(argv)` runs it and resolves to the exit code.
 *
 * @packageDocumentation
 * @module @btt/cli
 */

export { main } from './main.js'
