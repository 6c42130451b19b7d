import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { type CompletedStudy, createStudyCompletion } from './studyCompletion.js'

const spoolDir = mkdtempSync(join(tmpdir(), 'btt-completion-'))
afterAll(() => rmSync(spoolDir, { recursive: true, force: true }))
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
const spool = (study: string, n: number) => {
  mkdirSync(join(spoolDir, study), { recursive: true })
  writeFileSync(join(spoolDir, study, `${n}.dcm`), '')
}

test('overlapping associations: the study completes once, a quiet period after the last one ends', async () => {
  const done: CompletedStudy[] = []
  const c = createStudyCompletion({
    spoolDir,
    quietMs: 300,
    incompleteMs: 10_000,
    onComplete: (s) => done.push(s),
  })
  // a opens, b opens, a ends, (no completion: b is open), b ends, c opens within the quiet period
  c.opened('1.1', 'A')
  spool('1.1', 1)
  c.opened('1.1', 'B')
  c.ended('1.1', true)
  spool('1.1', 2)
  c.ended('1.1', true)
  await wait(50)
  c.opened('1.1', 'C')
  spool('1.1', 3)
  c.ended('1.1', true)
  await wait(100)
  expect(done).toEqual([]) // still within C's quiet period
  await wait(400)
  expect(done).toEqual([
    expect.objectContaining({
      studyInstanceUid: '1.1',
      reason: 'quiet',
      update: false,
      callingAet: 'C',
    }),
  ])
  expect(done[0]!.files).toHaveLength(3)
  // a later instance: completes again, as an update
  c.opened('1.1', 'D')
  spool('1.1', 4)
  c.ended('1.1', true)
  await wait(500)
  expect(done.map((d) => [d.update, d.files.length])).toEqual([
    [false, 3],
    [true, 4],
  ])
  c.close()
})

test('counted: complete at once when every announced instance is there; short or aborted: after the longer wait', async () => {
  const done: CompletedStudy[] = []
  const c = createStudyCompletion({
    spoolDir,
    quietMs: 10_000,
    incompleteMs: 100,
    onComplete: (s) => done.push(s),
  })
  c.opened('2.2', 'A')
  spool('2.2', 1)
  c.instance('2.2', 2)
  spool('2.2', 2)
  c.instance('2.2', 2)
  c.ended('2.2', true)
  expect(done).toEqual([expect.objectContaining({ reason: 'count', expectedInstances: 2 })])

  c.opened('3.3', 'A')
  spool('3.3', 1)
  c.ended('3.3', false) // aborted: waits incompleteMs, not quietMs
  expect(done).toHaveLength(1)
  await wait(250)
  expect(done[1]).toMatchObject({ studyInstanceUid: '3.3', reason: 'timeout' })
  c.close()
})
