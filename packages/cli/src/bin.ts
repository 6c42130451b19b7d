#!/usr/bin/env node
import { main } from './main.js'

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
  // The command has finished and closed what it opened. A handle a library could not close (a
  // socket to a peer that accepted the connection but never answered, after its timeout fired)
  // must not keep the process alive after the result or the error is printed: exit once both
  // streams are flushed.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
})
