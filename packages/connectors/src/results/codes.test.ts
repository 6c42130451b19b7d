import { expect, test } from 'vitest'
import { codingSchemes, DCM, LOCAL_SCHEME, localCode } from './codes.js'

test('the private scheme is declared, with name and responsible organisation, only when used', () => {
  expect(codingSchemes({ A: [DCM('121071', 'Finding')] })).toEqual({})
  expect(codingSchemes({ A: [{ B: [localCode('a very long finding label')] }] })).toEqual({
    CodingSchemeIdentificationSequence: [LOCAL_SCHEME],
  })
  expect(LOCAL_SCHEME.CodingSchemeName).toBeTruthy()
  expect(LOCAL_SCHEME.CodingSchemeResponsibleOrganization).toBeTruthy()
})

test('a local code keeps to the VRs: value up to 16 characters, meaning up to 64', () => {
  const c = localCode('x'.repeat(80))
  expect(c.CodeValue).toHaveLength(16)
  expect(c.CodeMeaning).toHaveLength(64)
  expect(c.CodingSchemeDesignator).toBe('99BTT')
})
