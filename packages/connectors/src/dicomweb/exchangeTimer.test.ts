import { expect, test } from 'vitest'
import { createExchangeTimer } from './exchangeTimer.js'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('no progress while waiting fires; time the caller holds the data does not count; the deadline does', async () => {
  const stalled = createExchangeTimer({ idleSeconds: 0.04 })
  await expect(stalled.expired).rejects.toThrow('no progress for 0.04 s')
  expect(stalled.signal.aborted).toBe(true)
  expect(stalled.reason).toBe('no progress for 0.04 s')

  const paused = createExchangeTimer({ idleSeconds: 0.04 })
  paused.idle() // the caller is busy with a part: not the network's fault
  await wait(80)
  expect(paused.reason).toBeUndefined()
  paused.stop()

  const bounded = createExchangeTimer({ idleSeconds: 1, deadlineSeconds: 0.1 })
  for (let i = 0; i < 5; i++) {
    await wait(30)
    bounded.waiting() // progress each time
  }
  expect(bounded.reason).toBe('not finished within 0.1 s')
  bounded.stop()
})
