import { describe, expect, it } from 'vitest'
import { checkByteRange } from '../../../src/pades/verify/checks/byte-range.ts'
import type { Revision } from '../../../src/pades/verify/checks/structure.ts'

// `1 0 obj << /Contents <0102> >> endobj` then the revision's end; offsets by hand.
const text = '%PDF-1.7\n1 0 obj\n<< /ByteRange [0 27 33 20] /Contents <0102> >>\nendobj\ntrailer\n%%EOF'
const bytes = Buffer.from(text, 'latin1')
const gapStart = text.indexOf('<0102>')
const gapEnd = gapStart + 6
const revision = { index: 0, end: bytes.length } as Revision
const input = (
  range: [number, number, number, number],
  extra: Partial<Parameters<typeof checkByteRange>[0]> = {},
) =>
  checkByteRange({
    bytes,
    range,
    contents: Uint8Array.of(1, 2),
    signedRevision: revision,
    containerOffset: text.indexOf('1 0 obj'),
    ...extra,
  })
const whole: [number, number, number, number] = [0, gapStart, gapEnd, bytes.length - gapEnd]

describe('check 3 — byte ranges', () => {
  it('GIVEN [0 a b c] leaving out exactly its own /Contents and ending at the revision THEN no finding', () => {
    expect(input(whole)).toEqual([])
  })

  it('GIVEN a range not starting at 0, overlapping, or with a gap that is not the /Contents hex THEN byterange-malformed', () => {
    expect(input([1, gapStart - 1, gapEnd, bytes.length - gapEnd])).toEqual(['byterange-malformed'])
    expect(input([0, gapStart + 2, gapEnd, bytes.length - gapEnd])).toEqual(['byterange-malformed'])
    expect(input(whole, { contents: Uint8Array.of(9, 9) })).toEqual(['byterange-malformed'])
  })

  it('GIVEN a range that ends at no revision THEN byterange-malformed; beyond the end of the file THEN signed-bytes-missing', () => {
    expect(input(whole, { signedRevision: undefined })).toEqual(['byterange-malformed'])
    expect(input([0, gapStart, gapEnd, bytes.length])).toEqual(['signed-bytes-missing'])
  })

  it('GIVEN the gap outside the signature dictionary object (another /Contents) THEN byterange-malformed', () => {
    expect(input(whole, { containerOffset: text.indexOf('endobj') + 1 })).toEqual(['byterange-malformed'])
    expect(input(whole, { containerOffset: undefined })).toEqual(['byterange-malformed'])
  })
})
