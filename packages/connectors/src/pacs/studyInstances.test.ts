import { writeDicom } from '@btt/compute/testing'
import { expect, test } from 'vitest'
import { writePart10 } from '../results/part10.js'
import { instancesKey, isResultClass, studyInstances } from './studyInstances.js'

test('the images of a study, less its SRs and SEGs, keyed by their sorted SOP Instance UIDs', () => {
  const image = (uid: string) =>
    writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2, sopInstanceUid: uid })
  const sr = writePart10({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.33', SOPInstanceUID: '9.9' })
  const { sources, key } = studyInstances([image('1.2.10'), sr, image('1.2.9')])
  expect(sources).toHaveLength(2)
  expect(key).toBe('1.2.10,1.2.9')
  expect(studyInstances([sr])).toEqual({ sources: [], key: '' })
  expect(instancesKey(['b', 'a'])).toBe('a,b')
  expect(isResultClass('1.2.840.10008.5.1.4.1.1.66.4')).toBe(true) // SEG
  expect(isResultClass('1.2.840.10008.5.1.4.1.1.1.1')).toBe(false) // DX
})
