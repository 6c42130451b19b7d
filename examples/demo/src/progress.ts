/** How the demo reports: one line per step; a live spinner on long steps only on a terminal. */
export type Reporter = {
  line(text?: string): void
  /** Runs `work`, showing `label` with a spinner and elapsed time when stdout is a TTY. */
  step<T>(label: string, work: () => Promise<T>): Promise<T>
}

export function createReporter(write: (text: string) => void, options: { tty: boolean }): Reporter {
  return {
    line: (text = '') => write(`${text}\n`),
    async step(label, work) {
      if (!options.tty) return work()
      const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
      const t0 = Date.now()
      let i = 0
      const clear = '\r\u001b[2K' // carriage return, erase the line
      const draw = () =>
        write(
          `\r\x1b[2K${frames[i++ % frames.length]} ${label} ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        )
      draw()
      const timer = setInterval(draw, 100)
      try {
        return await work()
      } finally {
        clearInterval(timer)
        write(clear)
      }
    },
  }
}
