import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  BYTE_RANGE_WIDTH,
  byteRangePlaceholder,
  computeByteRange,
  contentsPlaceholder,
  coveredBytes,
  digestByteRange,
  fillByteRange,
  formatByteRange,
  writeContents,
} from '../../src/pades/pdf/byte-range.ts'
import { pdfDateVietnam, pdfTextString } from '../../src/pades/pdf/pdf-text.ts'

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1')

/** A literal signature dictionary between some bytes before and after, as an update would hold it. */
function literalFile(capacity: number) {
  const dict = `<< /Type /Sig /ByteRange ${byteRangePlaceholder()} /Contents ${contentsPlaceholder(capacity)} >>`
  const head = '%PDF-1.7\n... earlier revision ...\n7 0 obj\n'
  const text = `${head}${dict}\nendobj\ntrailer ...\n%%EOF\n`
  return { bytes: Buffer.from(text, 'latin1'), dictOffset: head.length }
}

describe('ByteRange math', () => {
  it('GIVEN the /Contents gap WHEN computing THEN the range covers all but the gap with its angle brackets', () => {
    expect(computeByteRange(1000, 400, 434)).toEqual([0, 400, 434, 566])
    expect(() => computeByteRange(100, 90, 120)).toThrow()
  })

  it('GIVEN any offsets WHEN formatted THEN the text keeps the placeholder width', () => {
    expect(byteRangePlaceholder().toString()).toHaveLength(BYTE_RANGE_WIDTH)
    const text = formatByteRange([0, 9_999_999_999, 9_999_999_999, 9_999_999_999])
    expect(text).toHaveLength(BYTE_RANGE_WIDTH)
    expect(formatByteRange([0, 12, 46, 7])).toMatch(/^\[0 12 46 7 +\]$/)
  })

  it('GIVEN a literal placeholder WHEN filled THEN the range points at < and past > and the length is unchanged', () => {
    const { bytes, dictOffset } = literalFile(4)
    const length = bytes.length
    const slot = fillByteRange(bytes, dictOffset, 4)
    expect(bytes.length).toBe(length)
    const [, b, c, d] = slot.byteRange
    expect(latin1(bytes.subarray(b, c))).toBe('<00000000>')
    expect(c + d).toBe(length)
    expect(slot.contentsLength).toBe(10)
    expect(latin1(bytes)).toContain(`/ByteRange [0 ${b} ${c} ${d}`)
  })

  it('GIVEN a filled range WHEN digesting THEN it equals the hash of the covered bytes and excludes /Contents', () => {
    const { bytes, dictOffset } = literalFile(4)
    const slot = fillByteRange(bytes, dictOffset, 4)
    const covered = coveredBytes(bytes, slot.byteRange)
    expect(covered.length).toBe(bytes.length - slot.contentsLength)
    const expected = createHash('sha256').update(covered).digest()
    expect(digestByteRange(bytes, slot.byteRange)).toEqual(expected)
    writeContents(bytes, slot, Uint8Array.of(0x30, 0x82))
    expect(latin1(bytes.subarray(slot.contentsOffset, slot.contentsOffset + 10))).toBe('<30820000>')
    expect(digestByteRange(bytes, slot.byteRange)).toEqual(expected)
  })

  it('GIVEN the file as [earlier bytes, appended update] WHEN filled, digested and embedded in the update THEN the same range, digest and bytes as on the whole file', () => {
    const whole = literalFile(4)
    const split = whole.dictOffset - 5
    const earlier = Uint8Array.from(whole.bytes.subarray(0, split))
    const appended = Uint8Array.from(whole.bytes.subarray(split))
    const wholeSlot = fillByteRange(whole.bytes, whole.dictOffset, 4)
    const slot = fillByteRange(appended, whole.dictOffset, 4, split)
    expect(slot).toEqual(wholeSlot)
    expect(digestByteRange([earlier, appended], slot.byteRange)).toEqual(
      digestByteRange(whole.bytes, slot.byteRange),
    )
    expect(coveredBytes([earlier, appended], slot.byteRange)).toEqual(
      new Uint8Array(coveredBytes(whole.bytes, slot.byteRange)),
    )
    writeContents(whole.bytes, wholeSlot, Uint8Array.of(0x30, 0x82))
    writeContents(appended, slot, Uint8Array.of(0x30, 0x82), split)
    expect(Buffer.concat([earlier, appended]).equals(whole.bytes)).toBe(true)
  })

  it('GIVEN a CMS larger than the reserved room WHEN embedding THEN it is refused', () => {
    const { bytes, dictOffset } = literalFile(4)
    const slot = fillByteRange(bytes, dictOffset, 4)
    expect(() => writeContents(bytes, slot, new Uint8Array(5))).toThrow(/exceeds the reserved 4 bytes/)
  })
})

describe('PDF text for signature dictionaries', () => {
  it('GIVEN Vietnamese text WHEN encoded THEN it is UTF-16BE with a byte-order mark', () => {
    const encoded = pdfTextString('Hà Nội')
    expect(encoded.toString()).toBe('<FEFF004800E00020004E1ED90069>')
    expect(encoded.decodeText()).toBe('Hà Nội')
  })

  it('GIVEN plain ASCII WHEN encoded THEN it stays a literal string; parentheses force hex', () => {
    expect(pdfTextString('Signature1').toString()).toBe('(Signature1)')
    expect(pdfTextString('a (b)').decodeText()).toBe('a (b)')
    expect(pdfTextString('a (b)').toString().startsWith('<FEFF')).toBe(true)
  })

  it('GIVEN an instant WHEN formatted THEN it is the Vietnam wall clock with +07 offset', () => {
    expect(pdfDateVietnam(new Date('2026-11-26T20:30:05Z'))).toBe("D:20261127033005+07'00'")
  })
})
