import {
  type PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFArray,
  PDFRawStream,
} from 'pdf-lib'
import { asciiAt, indexOfToken, XrefReadError, skipWhitespace } from './pdf-bytes.ts'
import { decodeStreamBytes } from './stream-decode.ts'

/** Where the newest revision keeps an object. */
export type XrefLocation =
  | { type: 'offset'; offset: number; generation: number }
  | { type: 'compressed'; stream: number; index: number }
  | { type: 'free' }

/**
 * Merges every cross-reference section reachable from `startXref` (tables, xref streams, and the
 * /XRefStm of hybrid files); the newest entry for a number wins.
 */
export function readXrefChain(
  bytes: Uint8Array,
  startXref: number,
  context: PDFContext,
): Map<number, XrefLocation> {
  const entries = new Map<number, XrefLocation>()
  const seen = new Set<number>()
  const visit = (offset: number) => {
    if (seen.has(offset)) return
    seen.add(offset)
    const { trailer } = readXrefSection(bytes, offset, context, entries)
    // Hybrid files: the table's entries first, then its xref stream, then older revisions.
    const hybrid = trailer.get(PDFName.of('XRefStm'))
    if (hybrid instanceof PDFNumber) visit(hybrid.asNumber())
    const prev = trailer.get(PDFName.of('Prev'))
    if (prev instanceof PDFNumber) visit(prev.asNumber())
  }
  visit(startXref)
  return entries
}

export interface XrefSection {
  kind: 'table' | 'stream'
  /** The trailer, or the xref stream's dictionary. */
  trailer: PDFDict
}

/** Reads one section at `offset`, adding entries not already known (newer sections come first). */
export function readXrefSection(
  bytes: Uint8Array,
  offset: number,
  context: PDFContext,
  entries = new Map<number, XrefLocation>(),
): XrefSection {
  const at = skipWhitespace(bytes, offset)
  return asciiAt(bytes, at, 4) === 'xref'
    ? { kind: 'table', trailer: readTable(bytes, at, entries, context) }
    : { kind: 'stream', trailer: readStream(bytes, at, entries, context) }
}

function readTable(
  bytes: Uint8Array,
  at: number,
  entries: Map<number, XrefLocation>,
  context: PDFContext,
): PDFDict {
  const end = indexOfToken(bytes, 'trailer', at)
  if (end < 0) throw new XrefReadError('xref table without trailer')
  const tokens = asciiAt(bytes, at + 4, end - at - 4)
    .trim()
    .split(/\s+/)
  for (let i = 0; i + 1 < tokens.length; ) {
    const first = Number(tokens[i])
    const count = Number(tokens[i + 1])
    i += 2
    for (let n = 0; n < count; n++, i += 3) {
      const [offset, generation, kind] = [Number(tokens[i]), Number(tokens[i + 1]), tokens[i + 2]]
      if (entries.has(first + n)) continue
      entries.set(first + n, kind === 'n' ? { type: 'offset', offset, generation } : { type: 'free' })
    }
  }
  const trailer = PDFObjectParser.forBytes(
    bytes.subarray(skipWhitespace(bytes, end + 7)),
    context,
  ).parseObject()
  if (!(trailer instanceof PDFDict)) throw new XrefReadError('Trailer is not a dictionary')
  return trailer
}

function readStream(
  bytes: Uint8Array,
  at: number,
  entries: Map<number, XrefLocation>,
  context: PDFContext,
): PDFDict {
  const header = /^(\d+)\s+(\d+)\s+obj/.exec(asciiAt(bytes, at, 32))
  if (!header) throw new XrefReadError('Cross-reference offset points at neither a table nor a stream')
  const stream = PDFObjectParser.forBytes(bytes.subarray(at + header[0].length), context).parseObject()
  if (!(stream instanceof PDFRawStream)) throw new XrefReadError('Cross-reference offset points at no stream')
  const dict = stream.dict
  const ints = (key: string) =>
    (dict.lookup(PDFName.of(key), PDFArray).asArray() as PDFNumber[]).map((n) => n.asNumber())
  const widths = ints('W')
  const size = (dict.get(PDFName.of('Size')) as PDFNumber).asNumber()
  const index = dict.get(PDFName.of('Index')) ? ints('Index') : [0, size]
  const data = decodeStreamBytes(stream)
  const rowLength = widths.reduce((a, b) => a + b, 0)
  let row = 0
  for (let s = 0; s + 1 < index.length; s += 2) {
    for (let n = 0; n < index[s + 1]!; n++, row++) {
      const number = index[s]! + n
      if (entries.has(number)) continue
      const field = fieldReader(data, row * rowLength)
      // A zero-width type field means type 1 (spec table 17).
      const type = widths[0] === 0 ? 1 : field(0, widths[0]!)
      const second = field(widths[0]!, widths[1]!)
      const third = field(widths[0]! + widths[1]!, widths[2]!)
      if (type === 1) entries.set(number, { type: 'offset', offset: second, generation: third })
      else if (type === 2) entries.set(number, { type: 'compressed', stream: second, index: third })
      else entries.set(number, { type: 'free' })
    }
  }
  return dict
}

const fieldReader = (data: Uint8Array, rowStart: number) => (from: number, width: number) => {
  let value = 0
  for (let i = 0; i < width; i++) value = value * 256 + (data[rowStart + from + i] ?? 0)
  return value
}
