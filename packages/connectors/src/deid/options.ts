import { z } from 'zod'
import type { PseudonymVault } from './vault.js'

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${n}}$`))

/** The options of {@link deidentify}, checked at the call. */
export const deidentifyOptionsSchema = z.strictObject({
  /** Secret that keys UIDs, pseudonyms and date shifts; the vault's key when a vault is given. */
  key: z.instanceof(Uint8Array).optional(),
  /** Where pseudonyms are recorded for re-identification. */
  vault: z
    .custom<PseudonymVault>((v) => typeof v === 'object' && v !== null && 'record' in v)
    .optional(),
  retain: z
    .strictObject({
      uids: z.boolean().default(false),
      /** `full`: keep dates; `shifted`: move them by a per-patient offset; `none`: remove. */
      dates: z.enum(['none', 'full', 'shifted']).default('none'),
      device: z.boolean().default(false),
      institution: z.boolean().default(false),
      patientCharacteristics: z.boolean().default(false),
      /** Private elements declared safe: odd group, private creator, element byte within the block. */
      safePrivate: z
        .array(z.strictObject({ group: hex(4), creator: z.string().min(1), element: hex(2) }))
        .default([]),
    })
    .prefault({}),
  clean: z
    .strictObject({
      descriptors: z.boolean().default(false),
      structuredContent: z.boolean().default(false),
      graphics: z.boolean().default(false),
    })
    .prefault({}),
  /** A name for messages. */
  file: z.string().default('(buffer)'),
})

export type DeidentifyOptions = z.input<typeof deidentifyOptionsSchema>
export type DeidentifyConfig = z.output<typeof deidentifyOptionsSchema>
