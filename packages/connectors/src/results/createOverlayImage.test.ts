import { writeDicom } from '@btt/compute/testing'
import { expect, test } from 'vitest'
import { imageOf } from '../../test/resultFixture.js'
import { createOverlayImage } from './createOverlayImage.js'

test('typed errors: a malformed image, a source that cannot be decoded, a frame it does not have', async () => {
  const source = writeDicom({ frames: [new Uint16Array(64)], rows: 8, columns: 8 })
  await expect(createOverlayImage({ frame: -1 } as never, source)).rejects.toMatchObject({
    code: 'CONNECTORS_INVALID_ARGUMENT',
  })
  await expect(
    createOverlayImage(imageOf('1.1', []), new TextEncoder().encode('not DICOM')),
  ).rejects.toMatchObject({ code: 'RESULT_ENCODING_FAILED' })
  await expect(createOverlayImage(imageOf('1.1', [], { frame: 4 }), source)).rejects.toMatchObject({
    code: 'RESULT_ENCODING_FAILED',
    details: { frame: 4 },
  })
  // an image without a finding: the frame alone, 8-bit
  const sc = await createOverlayImage(imageOf('1.1', []), source)
  expect(sc.length).toBeGreaterThan(64)
})
