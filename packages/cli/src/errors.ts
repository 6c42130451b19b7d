import { BttError, defineErrorCodes, type ErrorCodeTable } from '@btt/core/errors'

/**
 * The `btt` command's own closed table of codes (its helpers' errors; each command also throws
 * the coded errors of the package it drives). `CLI_USAGE` is the structural {@link UsageError}
 * in `usage.ts` (exit 2), kept free of imports for the start-up path.
 */
export const cliErrorCodes = defineErrorCodes({
  CLI_INPUT_FILE: {
    kind: 'invalid_input',
    description:
      'A file named on the command line is a folder, a device, a FIFO or a socket, or larger than the command reads.',
  },
  CLI_OUTPUT_FOLDER: {
    kind: 'io',
    description:
      'An output folder cannot be created: a file in its way, no permission, or a path the system refuses.',
  },
})

export type CliErrorCode = keyof typeof cliErrorCodes

/** An error of the `btt` command itself, with a code from {@link cliErrorCodes}. */
export class CliError extends BttError<CliErrorCode> {
  static override codes: ErrorCodeTable = cliErrorCodes
  override name = 'CliError'
}
