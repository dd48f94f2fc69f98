import {
  PDFArray,
  type PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFRef,
  PDFString,
} from 'pdf-lib'
import { nativeFlateStream } from '../pades/pdf/native-flate.ts'

/**
 * A TrueType font embedded as a CIDFontType2 (Identity-H) without fontkit: text is drawn as glyph ids
 * looked up in the font's Unicode cmap, and only the glyphs used are kept (the others are emptied, so
 * glyph ids stay valid). A ToUnicode map makes the text searchable and copyable.
 */
export class EmbeddedTrueType {
  readonly ref: PDFRef
  private readonly tables = new Map<string, Buffer>()
  private readonly unitsPerEm: number
  private readonly advances: number[] = []
  private readonly cmap = new Map<number, number>()
  private readonly used = new Map<number, number>()

  constructor(
    private readonly context: PDFContext,
    bytes: Buffer,
    private readonly postScriptName: string,
  ) {
    this.ref = context.nextRef()
    const count = bytes.readUInt16BE(4)
    for (let i = 0; i < count; i++) {
      const record = 12 + i * 16
      const offset = bytes.readUInt32BE(record + 8)
      this.tables.set(bytes.toString('latin1', record, record + 4), bytes.subarray(offset, offset + bytes.readUInt32BE(record + 12)))
    }
    this.unitsPerEm = this.table('head').readUInt16BE(18)
    const metricsCount = this.table('hhea').readUInt16BE(34)
    const hmtx = this.table('hmtx')
    for (let gid = 0; gid < metricsCount; gid++) this.advances.push(hmtx.readUInt16BE(gid * 4))
    this.readCmap()
  }

  private table(tag: string): Buffer {
    const table = this.tables.get(tag)
    if (!table) throw new Error(`${this.postScriptName}: no ${tag} table`)
    return table
  }

  /** Windows Unicode BMP subtable (3,1), format 4: Vietnamese letters are all in the BMP. */
  private readCmap(): void {
    const cmap = this.table('cmap')
    let sub: Buffer | undefined
    for (let i = 0; i < cmap.readUInt16BE(2); i++) {
      const record = 4 + i * 8
      if (cmap.readUInt16BE(record) === 3 && cmap.readUInt16BE(record + 2) === 1) sub = cmap.subarray(cmap.readUInt32BE(record + 4))
    }
    if (sub?.readUInt16BE(0) !== 4) throw new Error(`${this.postScriptName}: no Unicode cmap`)
    const segments = sub.readUInt16BE(6) / 2
    const ends = 14
    const starts = ends + segments * 2 + 2
    const deltas = starts + segments * 2
    const rangeOffsets = deltas + segments * 2
    for (let s = 0; s < segments; s++) {
      const start = sub.readUInt16BE(starts + s * 2)
      const end = sub.readUInt16BE(ends + s * 2)
      const delta = sub.readInt16BE(deltas + s * 2)
      const rangeOffset = sub.readUInt16BE(rangeOffsets + s * 2)
      for (let code = start; code <= end && code !== 0xffff; code++) {
        let gid = 0
        if (rangeOffset === 0) gid = (code + delta) & 0xffff
        else {
          const raw = sub.readUInt16BE(rangeOffsets + s * 2 + rangeOffset + (code - start) * 2)
          if (raw !== 0) gid = (raw + delta) & 0xffff
        }
        if (gid !== 0) this.cmap.set(code, gid)
      }
    }
  }

  private glyphOf(char: string): number {
    return this.cmap.get(char.codePointAt(0)!) ?? 0
  }

  private advance(gid: number): number {
    return this.advances[Math.min(gid, this.advances.length - 1)] ?? 0
  }

  /** Width in points of text at a size (text is NFC-normalised, as it is when drawn). */
  widthOf(text: string, size: number): number {
    let units = 0
    for (const char of text.normalize('NFC')) units += this.advance(this.glyphOf(char))
    return (units * size) / this.unitsPerEm
  }

  /** The text as a string of glyph ids for Tj, remembering which glyphs (and characters) were used. */
  encode(text: string): PDFHexString {
    let hex = ''
    for (const char of text.normalize('NFC')) {
      const gid = this.glyphOf(char)
      if (gid !== 0) this.used.set(gid, char.codePointAt(0)!)
      hex += gid.toString(16).padStart(4, '0')
    }
    return PDFHexString.of(hex)
  }

  /** Writes the font objects; call once, after all text has been encoded. */
  finish(): void {
    const { context } = this
    const scale = 1000 / this.unitsPerEm
    const head = this.table('head')
    const hhea = this.table('hhea')
    const name = `${subsetTag(this.used)}+${this.postScriptName}`
    const fontFile = nativeFlateStream(context, this.subset())
    const descriptor = context.obj({
      Type: 'FontDescriptor',
      FontName: name,
      Flags: 34,
      FontBBox: [36, 38, 40, 42].map((offset) => Math.round(head.readInt16BE(offset) * scale)),
      ItalicAngle: 0,
      Ascent: Math.round(hhea.readInt16BE(4) * scale),
      Descent: Math.round(hhea.readInt16BE(6) * scale),
      CapHeight: Math.round(hhea.readInt16BE(4) * scale * 0.7),
      StemV: 80,
      FontFile2: context.register(fontFile),
    })
    const gids = [...this.used.keys()].sort((a, b) => a - b)
    const widths = PDFArray.withContext(context)
    for (const gid of gids) {
      widths.push(PDFNumber.of(gid))
      widths.push(context.obj([Math.round(this.advance(gid) * scale)]))
    }
    const cidFont = context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: name,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: context.register(descriptor),
      W: widths,
      CIDToGIDMap: 'Identity',
    })
    const toUnicode = nativeFlateStream(context, toUnicodeCMap(this.used))
    const font = PDFDict.withContext(context)
    font.set(PDFName.of('Type'), PDFName.of('Font'))
    font.set(PDFName.of('Subtype'), PDFName.of('Type0'))
    font.set(PDFName.of('BaseFont'), PDFName.of(name))
    font.set(PDFName.of('Encoding'), PDFName.of('Identity-H'))
    font.set(PDFName.of('DescendantFonts'), context.obj([context.register(cidFont)]))
    font.set(PDFName.of('ToUnicode'), context.register(toUnicode))
    context.assign(this.ref, font)
  }

  /** The font with every unused glyph emptied (composite glyphs keep their components). */
  private subset(): Buffer {
    const head = Buffer.from(this.table('head'))
    const longLoca = head.readInt16BE(50) === 1
    const loca = this.table('loca')
    const glyf = this.table('glyf')
    const glyphCount = this.table('maxp').readUInt16BE(4)
    const at = (gid: number) => (longLoca ? loca.readUInt32BE(gid * 4) : loca.readUInt16BE(gid * 2) * 2)
    const keep = new Set<number>([0, ...this.used.keys()])
    const pending = [...keep]
    while (pending.length > 0) {
      const gid = pending.pop()!
      const glyph = glyf.subarray(at(gid), at(gid + 1))
      if (glyph.length < 10 || glyph.readInt16BE(0) >= 0) continue
      let offset = 10
      for (;;) {
        const flags = glyph.readUInt16BE(offset)
        const component = glyph.readUInt16BE(offset + 2)
        if (!keep.has(component)) {
          keep.add(component)
          pending.push(component)
        }
        offset += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0)
        if (!(flags & 0x20)) break
      }
    }
    const pieces: Buffer[] = []
    const newLoca = Buffer.alloc((glyphCount + 1) * 4)
    let length = 0
    for (let gid = 0; gid < glyphCount; gid++) {
      newLoca.writeUInt32BE(length, gid * 4)
      if (!keep.has(gid)) continue
      const glyph = glyf.subarray(at(gid), at(gid + 1))
      const padded = Buffer.alloc(glyph.length + ((4 - (glyph.length % 4)) % 4))
      glyph.copy(padded)
      pieces.push(padded)
      length += padded.length
    }
    newLoca.writeUInt32BE(length, glyphCount * 4)
    head.writeInt16BE(1, 50)
    head.writeUInt32BE(0, 8)
    const tables = new Map<string, Buffer>([
      ['head', head],
      ['loca', newLoca],
      ['glyf', Buffer.concat(pieces)],
    ])
    for (const tag of ['hhea', 'hmtx', 'maxp', 'cvt ', 'fpgm', 'prep', 'OS/2', 'post', 'name']) {
      const table = this.tables.get(tag)
      if (table) tables.set(tag, table)
    }
    return buildSfnt(tables)
  }
}

function checksum(table: Buffer): number {
  const padded = Buffer.alloc(table.length + ((4 - (table.length % 4)) % 4))
  table.copy(padded)
  let sum = 0
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0
  return sum
}

/** An sfnt file from its tables, with the directory sorted by tag as the format requires. */
function buildSfnt(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort()
  const count = tags.length
  const power = 2 ** Math.floor(Math.log2(count))
  const header = Buffer.alloc(12 + count * 16)
  header.writeUInt32BE(0x00010000, 0)
  header.writeUInt16BE(count, 4)
  header.writeUInt16BE(power * 16, 6)
  header.writeUInt16BE(Math.log2(power), 8)
  header.writeUInt16BE(count * 16 - power * 16, 10)
  const bodies: Buffer[] = []
  let offset = header.length
  tags.forEach((tag, i) => {
    const table = tables.get(tag)!
    const record = 12 + i * 16
    header.write(tag, record, 'latin1')
    header.writeUInt32BE(checksum(table), record + 4)
    header.writeUInt32BE(offset, record + 8)
    header.writeUInt32BE(table.length, record + 12)
    const padded = Buffer.alloc(table.length + ((4 - (table.length % 4)) % 4))
    table.copy(padded)
    bodies.push(padded)
    offset += padded.length
  })
  return Buffer.concat([header, ...bodies])
}

/** Six capital letters derived from the glyph set, as PDF subset font names require. */
function subsetTag(used: Map<number, number>): string {
  let hash = 5381
  for (const gid of used.keys()) hash = ((hash * 33) ^ gid) >>> 0
  let tag = ''
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (hash % 26))
    hash = Math.floor(hash / 26) + i * 7
  }
  return tag
}

function toUnicodeCMap(used: Map<number, number>): string {
  const hex4 = (n: number) => n.toString(16).padStart(4, '0')
  const utf16 = (code: number) => [...String.fromCodePoint(code)].map((c) => hex4(c.charCodeAt(0))).join('')
  const entries = [...used.entries()].sort(([a], [b]) => a - b)
  const blocks: string[] = []
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100)
    blocks.push(`${chunk.length} beginbfchar\n${chunk.map(([gid, code]) => `<${hex4(gid)}> <${utf16(code)}>`).join('\n')}\nendbfchar`)
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n')
}
