import { naturalize } from '@btt/compute'

type Item = {
  ValueType?: string
  ConceptNameCodeSequence?: { CodeMeaning?: string }[]
  ConceptCodeSequence?: { CodeMeaning?: string }[]
  MeasuredValueSequence?: { NumericValue?: number | string }[]
  ReferencedSOPSequence?: { ReferencedSOPInstanceUID?: string }[]
  TextValue?: string
  ContentSequence?: Item[]
}

export type DeviceReport = {
  studyInstanceUid: string
  algorithm: string
  completion: string
  verification: string
  /** Per finding (TID 1500 measurement group): what, how likely, on which image. */
  findings: { finding: string; probability: number | undefined; image: string | undefined }[]
  /** The study-level answers (Qualitative Evaluations), e.g. `Pulmonary nodule: Present`. */
  evaluations: { concept: string; value: string }[]
}

const name = (i: Item) => i.ConceptNameCodeSequence?.[0]?.CodeMeaning ?? ''
const children = (i: Item | undefined, concept: string) =>
  (i?.ContentSequence ?? []).filter((c) => name(c) === concept)
const deep = (items: readonly Item[] | undefined): Item[] =>
  (items ?? []).flatMap((i) => [i, ...deep(i.ContentSequence)])

/**
 * What a modality shows from a TID 1500 SR: the algorithm, each finding with its probability and
 * the image it is on, and the study-level evaluations.
 *
 * @param bytes - the SR (Part 10) as received.
 */
export function readReport(bytes: Uint8Array): DeviceReport {
  const ds = naturalize(bytes, 'SR') as Item & Record<string, unknown>
  const root = ds.ContentSequence ?? []
  const groups = deep(root).filter((i) => name(i) === 'Measurement Group')
  const findings = groups.map((g) => {
    const p = children(g, 'Model probability of finding')[0]?.MeasuredValueSequence?.[0]
    const image = deep(g.ContentSequence).find((i) => i.ValueType === 'IMAGE')
    return {
      finding: children(g, 'Finding')[0]?.ConceptCodeSequence?.[0]?.CodeMeaning ?? '(unnamed)',
      probability: p?.NumericValue === undefined ? undefined : Number(p.NumericValue),
      image: image?.ReferencedSOPSequence?.[0]?.ReferencedSOPInstanceUID,
    }
  })
  const evaluations = root
    .filter((i) => name(i) === 'Qualitative Evaluations')
    .flatMap((i) => i.ContentSequence ?? [])
    .map((i) => ({
      concept: name(i),
      value: i.ConceptCodeSequence?.[0]?.CodeMeaning ?? i.TextValue ?? '',
    }))
  const algorithm = deep(root).find((i) => name(i) === 'Device Observer Name')?.TextValue
  return {
    studyInstanceUid: String(ds.StudyInstanceUID),
    algorithm: algorithm ?? String(ds.SeriesDescription ?? ''),
    completion: String(ds.CompletionFlag ?? ''),
    verification: String(ds.VerificationFlag ?? ''),
    findings,
    evaluations,
  }
}
