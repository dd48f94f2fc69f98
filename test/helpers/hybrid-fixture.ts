/**
 * Tests only: a hand-built hybrid-reference PDF (PDF 1.5 §7.5.8.4). Its classic table lists the plain
 * objects; the font lives in an object stream that only the /XRefStm stream (Flate + PNG Up
 * predictor, as qpdf writes them) points to.
 */
import { deflateSync } from 'node:zlib'

export function hybridReferencePdf(): Uint8Array {
  const parts: Buffer[] = []
  const offsets = new Map<number, number>()
  let length = 0
  const add = (text: string | Buffer) => {
    const chunk = typeof text === 'string' ? Buffer.from(text, 'latin1') : text
    parts.push(chunk)
    length += chunk.length
  }
  const object = (n: number, body: string | Buffer) => {
    offsets.set(n, length)
    add(`${n} 0 obj\n`)
    add(body)
    add('\nendobj\n')
  }
  const stream = (dict: string, data: Buffer) =>
    Buffer.concat([
      Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`),
      data,
      Buffer.from('\nendstream'),
    ])

  add('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n')
  object(1, '<< /Type /Catalog /Pages 2 0 R >>')
  object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>')
  object(
    3,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
  )
  object(4, stream('', Buffer.from('BT /F1 24 Tf 40 100 Td (Hybrid reference) Tj ET')))
  const font = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
  object(6, stream('/Type /ObjStm /N 1 /First 4', Buffer.from(`5 0 ${font}`)))
  // One row, W [1 2 1]: type 2, object stream 6, index 0; PNG "Up" filter byte 2 before it.
  const rows = deflateSync(Buffer.from([2, 2, 0, 6, 0]))
  const xrefStm = length
  object(
    7,
    stream(
      '/Type /XRef /Size 8 /W [1 2 1] /Index [5 1] /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>',
      rows,
    ),
  )
  const table = length
  const entry = (n: number) => `${String(offsets.get(n)).padStart(10, '0')} 00000 n\r\n`
  add(`xref\n0 5\n0000000000 65535 f\r\n${[1, 2, 3, 4].map(entry).join('')}6 2\n${entry(6)}${entry(7)}`)
  add(
    `trailer\n<< /Size 8 /Root 1 0 R /XRefStm ${xrefStm} /ID [<0123456789abcdef0123456789abcdef><0123456789abcdef0123456789abcdef>] >>\n`,
  )
  add(`startxref\n${table}\n%%EOF\n`)
  return Buffer.concat(parts)
}
