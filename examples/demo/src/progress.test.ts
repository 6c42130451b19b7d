import { expect, test } from 'vitest'
import { createReporter } from './progress.js'

test('a long step shows a live spinner on a terminal and nothing extra otherwise', async () => {
  for (const tty of [true, false]) {
    let written = ''
    const say = createReporter((t) => (written += t), { tty })
    const value = await say.step('working…', () => new Promise((r) => setTimeout(() => r(42), 250)))
    say.line('done')
    expect(value).toBe(42)
    if (tty) {
      expect(written).toContain('working…')
      expect(written.endsWith('\r\u001b[2Kdone\n')).toBe(true) // the spinner line is erased
    } else expect(written).toBe('done\n')
  }
})
