/** Captures what a CLI command writes. */
export function captureIo(tty = false) {
  let out = ''
  let err = ''
  return {
    io: {
      out: {
        write: (s: string) => {
          out += s
          return true
        },
        isTTY: tty,
      },
      err: {
        write: (s: string) => {
          err += s
          return true
        },
      },
    },
    get out() {
      return out
    },
    get err() {
      return err
    },
  }
}
