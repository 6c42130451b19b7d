import { type AddressInfo, createServer } from 'node:net'
import { writeDicom } from '@btt/compute/testing'
import { orthancBinary, useOrthanc } from '@btt/testing'
import { describe, expect, test } from 'vitest'
import { createDicomwebClient, jsonValue } from '../src/dicomweb/createDicomwebClient.js'
import { ConnectorsError } from '../src/errors.js'
import { datasetOf, value } from './fixtures.js'

const available = Boolean(orthancBinary())

const STUDY = '1.2.826.0.1.3680043.10.1398.200'
const instances = [1, 2, 3].map((n) =>
  writeDicom({
    frames: [Uint16Array.from({ length: 64 * 64 }, (_, i) => (i * n) % 4096)],
    rows: 64,
    columns: 64,
    studyInstanceUid: STUDY,
    seriesInstanceUid: `${STUDY}.1`,
    sopInstanceUid: `${STUDY}.1.${n}`,
    patientId: 'DW-1',
  }),
)

describe.skipIf(!available)('DICOMweb client against Orthanc', () => {
  const server = useOrthanc()

  test('STOW-RS stores, QIDO-RS finds, WADO-RS streams the study back byte-identical in content', async () => {
    const pacs = createDicomwebClient({
      url: server().dicomweb,
      headers: { 'X-Request-From': 'btt-tests' },
    })
    const stored = await pacs.store(instances)
    expect(stored.stored.sort()).toEqual([1, 2, 3].map((n) => `${STUDY}.1.${n}`))
    expect(stored.failed).toEqual([])

    const studies = await pacs.searchStudies({ PatientID: 'DW-1' })
    expect(studies.map((s) => jsonValue(s, '0020000D'))).toEqual([STUDY])
    const found = await pacs.searchInstances(STUDY)
    expect(found).toHaveLength(3)

    const back: string[] = []
    for await (const part of pacs.retrieveStudy(STUDY)) {
      const ds = datasetOf(part).dict
      back.push(String(value(ds, '00080018')))
      const original = instances[Number(String(value(ds, '00080018')).split('.').pop()) - 1]!
      expect(datasetOf(original).dict['7FE00010']!.Value).toEqual(ds['7FE00010']!.Value)
    }
    expect(back.sort()).toEqual(stored.stored.sort())
    const one = await pacs.retrieveInstance(STUDY, `${STUDY}.1`, `${STUDY}.1.2`)
    expect(value(datasetOf(one).dict, '00080018')).toBe(`${STUDY}.1.2`)
  })

  test('a STOW of a non-DICOM part stores nothing and reports the failure; errors are typed', async () => {
    const pacs = createDicomwebClient({ url: server().dicomweb })
    const before = await pacs.searchStudies()
    const garbage = new TextEncoder().encode('this is not a DICOM file')
    let outcome: unknown
    try {
      outcome = await pacs.store([garbage])
    } catch (error) {
      outcome = error
    }
    if (outcome instanceof ConnectorsError)
      expect(outcome.details?.status as number).toBeGreaterThanOrEqual(400)
    else expect((outcome as { stored: string[] }).stored).toEqual([])
    expect((await pacs.searchStudies()).length).toBe(before.length)

    await expect(pacs.retrieveInstance('1.2.3', '4.5.6', '7.8.9')).rejects.toMatchObject({
      code: 'DICOMWEB_HTTP_ERROR',
      details: expect.objectContaining({ status: 404 }),
    })
    const down = createDicomwebClient({ url: 'http://127.0.0.1:9/dicom-web' })
    await expect(down.searchStudies()).rejects.toMatchObject({
      code: 'DICOMWEB_UNREACHABLE',
      details: expect.objectContaining({ status: 0 }),
    })
  })
})

test('a server that accepts the connection and never answers: a typed error after the timeout, not a hang', async () => {
  const sockets: import('node:net').Socket[] = []
  const silent = createServer((socket) => sockets.push(socket)) // reads nothing, answers nothing
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  const { port } = silent.address() as AddressInfo
  try {
    const pacs = createDicomwebClient({
      url: `http://127.0.0.1:${port}/dicom-web`,
      timeoutSeconds: 0.3,
    })
    const search = await pacs.searchStudies().catch((e) => e)
    expect(search).toBeInstanceOf(ConnectorsError)
    expect(search.code).toBe('DICOMWEB_TIMEOUT')
    expect(String(search.message)).toMatch(/no progress for 0\.3 s/)
    const store = await pacs
      .store([writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })])
      .catch((e) => e)
    expect(store).toBeInstanceOf(ConnectorsError)
    expect(store.code).toBe('DICOMWEB_TIMEOUT')
  } finally {
    for (const s of sockets) s.destroy()
    silent.close()
  }
})
