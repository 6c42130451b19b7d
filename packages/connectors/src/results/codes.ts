/** A coded entry (Code Sequence Macro, PS3.3 Table 8.8-1). */
export type Code = { CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string }

export const code = (
  CodeValue: string,
  CodingSchemeDesignator: string,
  CodeMeaning: string,
): Code => ({ CodeValue, CodingSchemeDesignator, CodeMeaning })

/** A code of DICOM's own scheme (PS3.16 Annex D). */
export const DCM = (value: string, meaning: string) => code(value, 'DCM', meaning)

/**
 * BTT's private coding scheme: "99" starts a private designator (PS3.3 8.2.2); every object that
 * uses it declares it in its Coding Scheme Identification Sequence ({@link codingSchemes}).
 */
export const LOCAL_SCHEME = {
  CodingSchemeDesignator: '99BTT',
  CodingSchemeName: 'BTT SDK local codes',
  CodingSchemeVersion: '1',
  CodingSchemeResponsibleOrganization: 'BTT SDK maintainers',
} as const

/**
 * A finding without a standard code, in the local scheme `99BTT`: the label (up to 16 characters,
 * the most a Code Value holds) as the value and the whole label as the meaning.
 */
export const localCode = (label: string): Code =>
  code(label.slice(0, 16), LOCAL_SCHEME.CodingSchemeDesignator, label.slice(0, 64))

/** A FHIR-style coding from a manifest as a DICOM code (SNOMED CT's URI → SCT). */
export const fromCoding = (c: { system: string; code: string; display: string }): Code =>
  code(c.code, c.system === 'http://snomed.info/sct' ? 'SCT' : c.system, c.display)

/** CID 241 "Present-Absent Only": how a finding is stated present or absent. */
export const PRESENT = code('52101004', 'SCT', 'Present')
export const ABSENT = code('272519000', 'SCT', 'Absent')

/**
 * The Coding Scheme Identification Sequence (SOP Common, PS3.3 C.12.1.1.3.1) for a dataset: one
 * item for each private scheme its codes use (name and responsible organisation given), none when
 * it uses only standard schemes.
 */
export function codingSchemes(dataset: Record<string, unknown>): {
  CodingSchemeIdentificationSequence?: (typeof LOCAL_SCHEME)[]
} {
  const text = JSON.stringify(dataset)
  return text.includes(`"CodingSchemeDesignator":"${LOCAL_SCHEME.CodingSchemeDesignator}"`)
    ? { CodingSchemeIdentificationSequence: [LOCAL_SCHEME] }
    : {}
}
