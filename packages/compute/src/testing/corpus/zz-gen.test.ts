import { expect, test } from 'vitest'
import { buildCorpus } from './buildCorpus'

test('gen', async () => {
  const files = await buildCorpus('/tmp/c11/c', {
    dump2dcm: 'dump2dcm',
    dcmconv: 'dcmconv',
    dcmcrle: 'dcmcrle',
    dcmcjpeg: 'dcmcjpeg',
    dcmcjpls: 'dcmcjpls',
  })
  console.log(files.map((f) => f.name).join('\n'))
  expect(files.length).toBeGreaterThan(0)
})
