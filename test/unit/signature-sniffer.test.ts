import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { SignatureSniffer } from '../../src/documents/signature-sniffer.ts'

async function countIn(chunks: Buffer[]): Promise<number> {
  const sniffer = new SignatureSniffer()
  const passed: Buffer[] = []
  await pipeline(Readable.from(chunks), sniffer, new Writable({
      write(chunk: Buffer, _encoding, done) {
        passed.push(chunk)
        done()
      },
    }))
  expect(Buffer.concat(passed)).toEqual(Buffer.concat(chunks))
  return sniffer.count
}

function cut(bytes: Buffer, size: number): Buffer[] {
  const chunks = []
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size))
  return chunks
}

describe('SignatureSniffer', () => {
  const pdf = Buffer.from('%PDF-1.7 <</ByteRange [0 1 2 3]>> filler /ByteRange/ByteRange x /Byte Range /ByteRang')

  it('GIVEN three /ByteRange markers WHEN streamed in chunks of every size THEN each is counted once, and the bytes pass unchanged', async () => {
    for (let size = 1; size <= pdf.length; size++) expect(await countIn(cut(pdf, size))).toBe(3)
  })

  it('GIVEN a marker split over a one-byte chunk in the middle WHEN streamed THEN it is counted once', async () => {
    expect(await countIn([Buffer.from('xx/Byte'), Buffer.from('R'), Buffer.from('ange yy')])).toBe(1)
  })
})
