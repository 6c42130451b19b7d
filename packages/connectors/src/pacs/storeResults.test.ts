import { expect, test } from 'vitest'
import { writePart10 } from '../results/part10.js'
import { storeResults } from './storeResults.js'

const object = (uid: string) =>
  writePart10({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.33', SOPInstanceUID: uid })
const uidsOf = async (input: Iterable<Uint8Array> | AsyncIterable<Uint8Array>) => {
  const out: string[] = []
  for await (const f of input) out.push(f === sr ? '1.1' : '2.2')
  return out
}
const sr = object('1.1')
const seg = object('2.2')

test('SR stored, SEG refused: a warning, not a failure', async () => {
  const pacs = {
    store: async (input: Iterable<Uint8Array> | AsyncIterable<Uint8Array>) => {
      const uids = await uidsOf(input)
      return {
        stored: uids.filter((u) => u === '1.1'),
        failed: uids.filter((u) => u !== '1.1').map((u) => ({ sopInstanceUid: u, reason: 290 })),
      }
    },
  }
  expect(await storeResults(pacs, sr, [seg])).toEqual({
    srUid: '1.1',
    segUids: [],
    warnings: ['the PACS refused SEG 2.2'],
  })
})

test('the SR refused: PACS_STORE_REFUSED, the SEGs are not sent', async () => {
  let calls = 0
  const pacs = {
    store: async (input: Iterable<Uint8Array> | AsyncIterable<Uint8Array>) => {
      calls++
      const uids = await uidsOf(input)
      return { stored: [], failed: uids.map((u) => ({ sopInstanceUid: u, reason: 0xa700 })) }
    },
  }
  await expect(storeResults(pacs, sr, [seg])).rejects.toMatchObject({
    code: 'PACS_STORE_REFUSED',
    details: { sopInstanceUid: '1.1' },
  })
  expect(calls).toBe(1)
})
