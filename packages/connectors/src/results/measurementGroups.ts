import type { AnalysisResult } from '@btt/compute'
import { code, DCM, fromCoding, localCode } from './codes.js'
import { newUid } from './part10.js'
import { coded, container, type Dataset, imageItem, item, text } from './srItems.js'

/** Probability of a finding from a model: no standard concept exists, so a local one (scheme 99BTT). */
export const PROBABILITY = code('P-0001', '99BTT', 'Model probability of finding')

/** TID 4019 Algorithm Identification: the model's name, version and sha256. */
function algorithmIdentification(result: AnalysisResult): Dataset[] {
  return [
    text('HAS CONCEPT MOD', DCM('111001', 'Algorithm Name'), result.model.name.slice(0, 64)),
    text('HAS CONCEPT MOD', DCM('111003', 'Algorithm Version'), result.model.version),
    text(
      'HAS CONCEPT MOD',
      DCM('111002', 'Algorithm Parameters'),
      `model sha256 ${result.model.sha256}; backend ${result.backend.name}`,
    ),
  ]
}

/**
 * One Measurement Group (TID 1500 row 6 → TID 1501) per present finding of each image: tracking
 * identifier and UID, the finding (its code, or a local one), the algorithm, the model's
 * probability and, when located, the image region (a box, SELECTED FROM its image). Empty when
 * nothing is present: the caller then leaves the Imaging Measurements container out.
 */
export function measurementGroups(
  result: AnalysisResult,
  multiFrame: ReadonlySet<string>,
): Dataset[] {
  const algorithm = algorithmIdentification(result)
  let n = 0
  return result.images.flatMap((image) =>
    image.findings
      .filter((f) => f.present)
      .map((f) => {
        n++
        const items: Dataset[] = [
          text('HAS OBS CONTEXT', DCM('112039', 'Tracking Identifier'), `${f.label}-${n}`),
          item('HAS OBS CONTEXT', 'UIDREF', DCM('112040', 'Tracking Unique Identifier'), {
            UID: newUid(),
          }),
          coded(
            'CONTAINS',
            DCM('121071', 'Finding'),
            f.code ? fromCoding(f.code) : localCode(f.label),
          ),
          ...algorithm,
          item('CONTAINS', 'NUM', PROBABILITY, {
            MeasuredValueSequence: [
              {
                NumericValue: f.probability.toFixed(6),
                MeasurementUnitsCodeSequence: [code('1', 'UCUM', 'no units')],
              },
            ],
          }),
        ]
        if (f.box) {
          const { x, y, width, height } = f.box
          items.push(
            item('CONTAINS', 'SCOORD', DCM('111030', 'Image Region'), {
              GraphicType: 'POLYLINE',
              GraphicData: [x, y, x + width, y, x + width, y + height, x, y + height, x, y],
              ContentSequence: [imageItem('SELECTED FROM', image, multiFrame)],
            }),
          )
        }
        return container(DCM('125007', 'Measurement Group'), items)
      }),
  )
}
