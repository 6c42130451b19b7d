/**
 * dcmtk `dump2dcm` sources for the read corpus: an image with one element of most VRs, standard
 * and private sequences, private sequences of undefined length nested in each other in an odd
 * group the standard reserves (0001) and in an ordinary private group (0009).
 */

/** Pixel words for `rows` × `columns` samples of `bits` (a ramp), in dump2dcm's hex notation. */
function pixels(rows: number, columns: number, bits: 8 | 16): string {
  const values: string[] = []
  for (let i = 0; i < rows * columns; i++) {
    const v = bits === 8 ? (i * 7) & 0xff : (i * 37) & 0x0fff
    values.push(v.toString(16).padStart(bits / 4, '0'))
  }
  return values.join('\\')
}

const privateSequences = `(0001,0010) LO [RESERVED GROUP CREATOR]
(0001,1001) SQ (Sequence with undefined length #=2)
  (fffe,e000) na (Item with undefined length #=3)
    (0001,0010) LO [RESERVED GROUP CREATOR]
    (0001,1002) SQ (Sequence with undefined length #=1)
      (fffe,e000) na (Item with undefined length #=2)
        (0010,0010) PN [Inner^Name]
        (0020,0013) IS [7]
      (fffe,e00d) na (ItemDelimitationItem)
    (fffe,e0dd) na (SequenceDelimitationItem)
    (0008,0100) SH [CODE1]
  (fffe,e00d) na (ItemDelimitationItem)
  (fffe,e000) na (Item with undefined length #=1)
    (0008,0104) LO [second item]
  (fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
`

const vendorSequences = `(0009,0010) LO [ACME MEDICAL 1.0]
(0009,0011) LO [OTHER VENDOR]
(0009,1001) SQ (Sequence with undefined length #=1)
  (fffe,e000) na (Item with undefined length #=3)
    (0009,0010) LO [ACME MEDICAL 1.0]
    (0009,1010) SQ (Sequence with undefined length #=1)
      (fffe,e000) na (Item with undefined length #=1)
        (0009,0010) LO [ACME MEDICAL 1.0]
        (0009,1011) SQ (Sequence with undefined length #=0)
        (fffe,e0dd) na (SequenceDelimitationItem)
      (fffe,e00d) na (ItemDelimitationItem)
    (fffe,e0dd) na (SequenceDelimitationItem)
    (0008,0104) LO [nested in private]
  (fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
(0009,1002) LO [vendor value]
(0009,1105) UL 123456
`

/** An image of `bits` bits with most VRs, standard and private sequences. */
export function imageDump(o: {
  rows: number
  columns: number
  bits: 8 | 16
  sopInstanceUid: string
}): string {
  const stored = o.bits === 8 ? 8 : 12
  return `(0008,0005) CS [ISO_IR 100]
(0008,0008) CS [ORIGINAL\\PRIMARY\\AXIAL]
(0008,0012) DA [20240102]
(0008,0013) TM [101112.5]
(0008,0016) UI [1.2.840.10008.5.1.4.1.1.7]
(0008,0018) UI [${o.sopInstanceUid}]
(0008,0020) DA [20240101]
(0008,002a) DT [20240101120000.000000]
(0008,0050) SH [ACC-1]
(0008,0060) CS [OT]
(0008,0070) LO [Corpus Maker]
(0008,0090) PN [Referring^Doctor^^Dr]
(0008,1030) LO [Study with a backslash-free description]
(0008,1140) SQ (Sequence with explicit length #=2)
  (fffe,e000) na (Item with explicit length #=2)
    (0008,1150) UI [1.2.840.10008.5.1.4.1.1.2]
    (0008,1155) UI [1.2.3.4.5.6.7.1]
  (fffe,e00d) na (ItemDelimitationItem for re-encoding)
  (fffe,e000) na (Item with explicit length #=2)
    (0008,1150) UI [1.2.840.10008.5.1.4.1.1.2]
    (0008,1155) UI [1.2.3.4.5.6.7.2]
  (fffe,e00d) na (ItemDelimitationItem for re-encoding)
(fffe,e0dd) na (SequenceDelimitationItem for re-encod.)
${privateSequences}${vendorSequences}(0010,0010) PN [Doe^Jane^Q^^]
(0010,0020) LO [PID-0001]
(0010,0030) DA [19700101]
(0010,1010) AS [054Y]
(0010,1020) DS [1.65]
(0010,1030) DS [60.5]
(0010,4000) LT [A long text, with a comma; and a semicolon]
(0018,0050) DS [1.25]
(0018,1030) LO [protocol\\second value]
(0018,9089) FD 0\\0.5\\1
(0018,9306) FD 2.5
(0020,000d) UI [1.2.3.4.5.6.7.100]
(0020,000e) UI [1.2.3.4.5.6.7.101]
(0020,0010) SH [STUDY1]
(0020,0011) IS [3]
(0020,0013) IS [1]
(0020,0032) DS [-100\\-100.5\\20]
(0020,0037) DS [1\\0\\0\\0\\1\\0]
(0020,4000) LT [image comments]
(0028,0002) US 1
(0028,0004) CS [MONOCHROME2]
(0028,0009) AT (0018,1063)
(0028,0010) US ${o.rows}
(0028,0011) US ${o.columns}
(0028,0030) DS [0.5\\0.5]
(0028,0100) US ${o.bits}
(0028,0101) US ${stored}
(0028,0102) US ${stored - 1}
(0028,0103) US 0
(0028,1050) DS [2048]
(0028,1051) DS [4096]
(0028,1052) DS [-1024]
(0028,1053) DS [1]
(0029,0010) LO [SECOND VENDOR]
(0029,1010) SL -42
(0029,1011) FL 3.25
(0029,1012) SS -7
(0032,1060) LO [requested procedure]
(0040,a124) UI [1.2.3.4.5.6.7.102]
(7fe0,0010) ${o.bits === 8 ? 'OB' : 'OW'} ${pixels(o.rows, o.columns, o.bits)}
`
}

/** A non-image dataset: strings, numbers and sequences only (a structured-report-like object). */
export function documentDump(sopInstanceUid: string): string {
  return `(0008,0016) UI [1.2.840.10008.5.1.4.1.1.88.11]
(0008,0018) UI [${sopInstanceUid}]
(0008,0060) CS [SR]
${privateSequences}(0010,0010) PN [Roe^Richard]
(0010,0020) LO [PID-0002]
(0020,000d) UI [1.2.3.4.5.6.7.200]
(0020,000e) UI [1.2.3.4.5.6.7.201]
(0040,a040) CS [CONTAINER]
(0040,a730) SQ (Sequence with undefined length #=1)
  (fffe,e000) na (Item with undefined length #=3)
    (0040,a010) CS [CONTAINS]
    (0040,a040) CS [TEXT]
    (0040,a160) UT [finding text]
  (fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
`
}
