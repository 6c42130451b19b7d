// `btt deid --help` prints this without loading the de-identification code.
export const deidUsage = `Usage:
  btt deid <file|folder>... --out <dir> [--retain uids,dates,shifted-dates,device,institution,patient-characteristics]
           [--clean descriptors,structured-content,graphics] [--vault <path>]

Every input is de-identified (folders recursively; the same file reached twice is done once) into
--out, which must not be, contain or lie inside an input. Outputs are written atomically.
--vault: where the key and every pseudonym are kept (what re-identifies the files). Default:
<out>.vault.sqlite beside --out, never inside it, so the folder you share carries no key.`
