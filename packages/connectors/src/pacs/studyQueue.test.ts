import { expect, test } from 'vitest'
import { createStudyQueue } from './studyQueue.js'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('jobs of one study run one after the other, a failure does not block the next; other studies run alongside', async () => {
  const queue = createStudyQueue()
  const log: string[] = []
  const job =
    (name: string, ms: number, fail = false) =>
    async () => {
      log.push(`${name} start`)
      await wait(ms)
      log.push(`${name} end`)
      if (fail) throw new Error(name)
      return name
    }
  const runs = [
    queue.run('A', job('a1', 40, true)),
    queue.run('A', job('a2', 10)),
    queue.run('B', job('b1', 10)),
  ]
  const settled = await Promise.allSettled(runs)
  expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'fulfilled'])
  expect(log.indexOf('a2 start')).toBeGreaterThan(log.indexOf('a1 end'))
  expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'))
  await expect(queue.idle()).resolves.toBeUndefined()
})
