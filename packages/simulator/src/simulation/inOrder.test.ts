import { describe, expect, test } from 'vitest'
import type { Task, TaskOutcome } from '../engine/workerPool.js'
import { inOrder } from './inOrder.js'
import { planTasks } from './planTasks.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('inOrder', () => {
  test('outcomes come in task order whatever order they finish in, with a bounded window', async () => {
    let inflight = 0
    let most = 0
    const launch = async (task: Task): Promise<TaskOutcome> => {
      inflight++
      most = Math.max(most, inflight)
      await sleep((5 - (task.id % 5)) * 2) // later tasks finish first
      inflight--
      return { id: task.id }
    }
    const ids: number[] = []
    for await (const { task, outcome } of inOrder(planTasks(1, 12, 1), launch, 4)) {
      expect(outcome.id).toBe(task.id)
      ids.push(task.id)
    }
    expect(ids).toEqual([...Array(12).keys()])
    expect(most).toBeLessThanOrEqual(4)
  })

  test('a launch that rejects ends the iteration with its error; nothing is left unhandled', async () => {
    const launch = async (task: Task): Promise<TaskOutcome> => {
      if (task.id >= 1) throw new Error(`task ${task.id} failed`)
      return { id: task.id }
    }
    const seen: number[] = []
    await expect(async () => {
      for await (const { task } of inOrder(planTasks(1, 5, 1), launch, 5)) seen.push(task.id)
    }).rejects.toThrow('task 1 failed')
    expect(seen).toEqual([0])
    await sleep(10) // an unhandled rejection of tasks 2–4 would fail the run here
  })

  test('no tasks: nothing launched', async () => {
    let launched = 0
    const launch = async (task: Task) => {
      launched++
      return { id: task.id }
    }
    for await (const _ of inOrder(planTasks(1, 0, 1), launch, 2)) expect.unreachable()
    expect(launched).toBe(0)
  })
})
