import { EventEmitter } from 'node:events'
import { expect, test } from 'vitest'
import { watchIdle } from './watchIdle.js'

class FakeSocket extends EventEmitter {
  ended = false
  destroyed = false
  end() {
    this.ended = true
  }
  destroy() {
    this.destroyed = true
  }
}
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('ARTIM before the association, idle after it; data re-arms; a closed socket stops the timer', async () => {
  const told: boolean[] = []
  const silent = new FakeSocket()
  watchIdle(silent, { artimMs: 40, idleMs: 1000 }, (a) => told.push(a))
  await wait(80)
  expect(told).toEqual([false])
  expect(silent.ended).toBe(true)

  const busy = new FakeSocket()
  const idle = watchIdle(busy, { artimMs: 40, idleMs: 200 }, (a) => told.push(a))
  idle.associated()
  for (let i = 0; i < 4; i++) {
    await wait(30)
    busy.emit('data') // keeps moving: not cut off
  }
  expect(told).toEqual([false])
  await wait(400)
  expect(told).toEqual([false, true]) // silent with an association open: the caller aborts it

  const closed = new FakeSocket()
  watchIdle(closed, { artimMs: 30, idleMs: 30 }, (a) => told.push(a))
  closed.emit('close')
  await wait(60)
  expect(told).toEqual([false, true])
})
