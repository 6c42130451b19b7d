import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { expect, test } from 'vitest'
import { fileMeta } from '../results/part10.js'
import { analyseStudy } from './analyseStudy.js'

const STUDY = '1.2.826.0.1.3680043.10.1398.650'
const image = writeDicom({
  frames: [syntheticChest({ seed: 3, nodules: [{ x: 170, y: 230, radius: 12, contrast: 650 }] })],
  rows: 512,
  columns: 512,
  studyInstanceUid: STUDY,
  sopInstanceUid: `${STUDY}.1.1`,
})

test('local analysis: an SR and a SEG with UIDs fixed by study, instances and model; no SEG when segmentation is off', async () => {
  const first = await analyseStudy(STUDY, `${STUDY}.1.1`, [image], {})
  expect(first.result.images).toHaveLength(1)
  expect(fileMeta(first.sr).sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.88.33')
  expect(first.segs.map((s) => fileMeta(s).sopClassUid)).toEqual(['1.2.840.10008.5.1.4.1.1.66.4'])
  const again = await analyseStudy(STUDY, `${STUDY}.1.1`, [image], { segmentation: false })
  expect(again.segs).toEqual([])
  expect(fileMeta(again.sr).sopInstanceUid).toBe(fileMeta(first.sr).sopInstanceUid)
  const other = await analyseStudy(STUDY, `${STUDY}.1.1,${STUDY}.1.2`, [image], {})
  expect(fileMeta(other.sr).sopInstanceUid).not.toBe(fileMeta(first.sr).sopInstanceUid)
}, 60_000)
