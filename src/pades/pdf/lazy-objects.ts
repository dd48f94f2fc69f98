import {
  PDFContext,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
} from 'pdf-lib'
import { asciiAt, XrefReadError } from './pdf-bytes.ts'
import { decodeStreamBytes } from './stream-decode.ts'
import type { XrefLocation } from './xref-reader.ts'

/**
 * pdf-lib's object table, filled on first lookup from the cross-reference entries. A signature
 * touches a handful of objects (catalog, page path, AcroForm), so a 10 MB file is not parsed whole.
 */
class LazyObjectTable extends Map<PDFRef, PDFObject> {
  private readonly tried = new Set<PDFRef>()
  private readonly objectStreams = new Map<number, ObjectStream>()

  constructor(
    private readonly bytes: Uint8Array,
    private readonly xref: Map<number, XrefLocation>,
    private readonly context: () => PDFContext,
  ) {
    super()
  }

  override get(ref: PDFRef): PDFObject | undefined {
    const known = super.get(ref)
    if (known !== undefined || this.tried.has(ref)) return known
    this.tried.add(ref)
    const loaded = this.load(ref)
    if (loaded !== undefined) super.set(ref, loaded)
    return loaded
  }

  override has(ref: PDFRef): boolean {
    return this.get(ref) !== undefined
  }

  private load(ref: PDFRef): PDFObject | undefined {
    const entry = this.xref.get(ref.objectNumber)
    if (entry?.type === 'offset' && entry.generation === ref.generationNumber)
      return this.atOffset(ref, entry.offset)
    if (entry?.type === 'compressed' && ref.generationNumber === 0)
      return this.inObjectStream(entry.stream, entry.index)
    return undefined
  }

  private atOffset(ref: PDFRef, offset: number): PDFObject {
    const header = /^\s*(\d+)\s+(\d+)\s+obj/.exec(asciiAt(this.bytes, offset, 40))
    if (!header || Number(header[1]) !== ref.objectNumber) {
      throw new XrefReadError(`xref offset of object ${ref.objectNumber} is wrong`)
    }
    return PDFObjectParser.forBytes(
      this.bytes.subarray(offset + header[0].length),
      this.context(),
    ).parseObject()
  }

  private inObjectStream(streamNumber: number, index: number): PDFObject {
    const { data, starts } = this.objectStream(streamNumber)
    const start = starts[index]
    if (start === undefined) throw new XrefReadError(`Object stream ${streamNumber} has no index ${index}`)
    return PDFObjectParser.forBytes(data.subarray(start), this.context()).parseObject()
  }

  /** Decoded once: its header lists `number offset` pairs, offsets relative to /First. */
  private objectStream(streamNumber: number): ObjectStream {
    const cached = this.objectStreams.get(streamNumber)
    if (cached) return cached
    const stream = this.get(PDFRef.of(streamNumber))
    if (!(stream instanceof PDFRawStream))
      throw new XrefReadError(`Object ${streamNumber} is not an object stream`)
    const first = stream.dict.get(PDFName.of('First'))
    const count = stream.dict.get(PDFName.of('N'))
    if (!(first instanceof PDFNumber && count instanceof PDFNumber))
      throw new XrefReadError('Object stream without /First or /N')
    const data = decodeStreamBytes(stream)
    const pairs = asciiAt(data, 0, first.asNumber()).trim().split(/\s+/).map(Number)
    const starts = Array.from({ length: count.asNumber() }, (_, i) => first.asNumber() + pairs[2 * i + 1]!)
    const parsed = { data, starts }
    this.objectStreams.set(streamNumber, parsed)
    return parsed
  }
}

interface ObjectStream {
  data: Uint8Array
  starts: number[]
}

/** A pdf-lib context whose objects load on demand from the file's cross-reference entries. */
export function lazyContext(bytes: Uint8Array, entries: Map<number, XrefLocation>): PDFContext {
  const context = PDFContext.create()
  const table = new LazyObjectTable(bytes, entries, () => context)
  // pdf-lib resolves every lookup through this map; swapping it is the one hook it offers.
  Object.assign(context, { indirectObjects: table })
  return context
}
