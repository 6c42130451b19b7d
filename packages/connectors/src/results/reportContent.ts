import type { AnalysisResult } from '@btt/compute'
import { type Code, code, DCM } from './codes.js'
import { measurementGroups } from './measurementGroups.js'
import { IMPLEMENTATION_CLASS_UID } from './part10.js'
import { qualitativeEvaluations } from './qualitativeEvaluations.js'
import {
  coded,
  container,
  type Dataset,
  imageItem,
  item,
  multiFrameInstances,
  text,
} from './srItems.js'

/**
 * The content of a TID 1500 Imaging Measurement Report under its root: language (row 2), device
 * observer context (row 3), procedure reported (row 4), the Image Library of the analysed images
 * (row 5), the Imaging Measurements container with one Measurement Group per present finding
 * (rows 6 and 9; left out when nothing is present) and the Qualitative Evaluations container that
 * states every finding present or absent (rows 12–13). Undefined when the result names no finding
 * at all, since the template needs one of the two containers.
 */
export function reportContent(result: AnalysisResult, procedure: Code): Dataset[] | undefined {
  const multiFrame = multiFrameInstances(result.images)
  const groups = measurementGroups(result, multiFrame)
  const evaluations = qualitativeEvaluations(result)
  if (!groups.length && !evaluations) return undefined
  return [
    coded(
      'HAS CONCEPT MOD',
      DCM('121049', 'Language of Content Item and Descendants'),
      code('en-US', 'RFC5646', 'English (United States)'),
    ),
    coded('HAS OBS CONTEXT', DCM('121005', 'Observer Type'), DCM('121007', 'Device')),
    item('HAS OBS CONTEXT', 'UIDREF', DCM('121012', 'Device Observer UID'), {
      UID: IMPLEMENTATION_CLASS_UID,
    }),
    text('HAS OBS CONTEXT', DCM('121013', 'Device Observer Name'), result.model.id.slice(0, 64)),
    coded('HAS CONCEPT MOD', DCM('121058', 'Procedure reported'), procedure),
    container(DCM('111028', 'Image Library'), [
      container(
        DCM('126200', 'Image Library Group'),
        result.images.map((i) => imageItem('CONTAINS', i, multiFrame)),
      ),
    ]),
    ...(groups.length ? [container(DCM('126010', 'Imaging Measurements'), groups)] : []),
    ...(evaluations ? [evaluations] : []),
  ]
}
