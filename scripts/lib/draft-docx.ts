/**
 * A draft văn bản as a DOCX (WordprocessingML), laid out as ND30 Phụ lục I asks: the two-column header
 * (agency | national motto), "Số:      /QĐ-UBND" and "…, ngày      tháng      năm 2026" left blank for
 * the system to fill, the title, the body, and the closing block (Nơi nhận | signer). Used by the
 * tests and the demo seed; written as a plain ZIP (stored, no compression) so nothing else is needed.
 */
import { crc32 } from 'node:zlib'

export interface DraftDocxContent {
  /** The issuing agency as printed in the header, one line each ("ỦY BAN NHÂN DÂN", "TỈNH HÒA GIANG"). */
  agencyLines: string[]
  /** The printed notation after the blank number, e.g. "/QĐ-UBND". */
  notation: string
  place: string
  year: number
  kindTitle: string
  subject: string
  paragraphs: string[]
  recipients: string[]
  authority: string[]
  signerTitle: string
  signerName: string
}

const BLANK = '\u00a0'.repeat(8)

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function run(text: string, style: { bold?: boolean; italic?: boolean; size?: number } = {}): string {
  const props = [
    '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>',
    style.bold ? '<w:b/>' : '',
    style.italic ? '<w:i/>' : '',
    `<w:sz w:val="${(style.size ?? 13) * 2}"/>`,
  ].join('')
  return `<w:r><w:rPr>${props}</w:rPr><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`
}

function paragraph(
  text: string,
  style: {
    bold?: boolean
    italic?: boolean
    size?: number
    align?: 'left' | 'center' | 'both'
    after?: number
  } = {},
): string {
  const align = `<w:jc w:val="${style.align ?? 'both'}"/>`
  const spacing = `<w:spacing w:before="0" w:after="${style.after ?? 60}"/>`
  return `<w:p><w:pPr>${spacing}${align}</w:pPr>${run(text, style)}</w:p>`
}

function cell(width: number, paragraphs: string[]): string {
  return `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/></w:tcPr>${paragraphs.join('')}</w:tc>`
}

function table(left: string[], right: string[], widths: [number, number]): string {
  const borders = ['top', 'left', 'bottom', 'right', 'insideH', 'insideV']
    .map((side) => `<w:${side} w:val="nil"/>`)
    .join('')
  return (
    `<w:tbl><w:tblPr><w:tblW w:w="${widths[0] + widths[1]}" w:type="dxa"/><w:tblBorders>${borders}</w:tblBorders></w:tblPr>` +
    `<w:tblGrid><w:gridCol w:w="${widths[0]}"/><w:gridCol w:w="${widths[1]}"/></w:tblGrid>` +
    `<w:tr>${cell(widths[0], left)}${cell(widths[1], right)}</w:tr></w:tbl>`
  )
}

export function draftDocumentXml(content: DraftDocxContent): string {
  const centre = { align: 'center' as const, after: 0 }
  const header = table(
    [
      ...content.agencyLines.map((line) => paragraph(line, { ...centre, bold: true, size: 12 })),
      paragraph(`Số:${BLANK}${content.notation}`, { ...centre, after: 120 }),
    ],
    [
      paragraph('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { ...centre, bold: true, size: 12 }),
      paragraph('Độc lập - Tự do - Hạnh phúc', { ...centre, bold: true }),
      paragraph(`${content.place}, ngày${BLANK}tháng${BLANK}năm ${content.year}`, {
        ...centre,
        italic: true,
        after: 120,
      }),
    ],
    [3600, 5800],
  )
  const body = [
    paragraph(content.kindTitle, { align: 'center', bold: true, size: 14, after: 0 }),
    paragraph(content.subject, { align: 'center', bold: true, after: 240 }),
    ...content.paragraphs.map((text) => paragraph(text, { size: 14, after: 120 })),
  ]
  const closing = table(
    [
      paragraph('Nơi nhận:', { bold: true, italic: true, size: 12, align: 'left', after: 0 }),
      ...content.recipients.map((line) => paragraph(`- ${line};`, { size: 11, align: 'left', after: 0 })),
    ],
    [
      ...content.authority.map((line) => paragraph(line, { ...centre, bold: true })),
      paragraph(content.signerTitle, { ...centre, bold: true }),
      ...Array.from({ length: 5 }, () => paragraph(' ', centre)),
      paragraph(content.signerName, { ...centre, bold: true }),
    ],
    [4400, 5000],
  )
  const page =
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>' +
    '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>'
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    `<w:body>${header}${body.join('')}${closing}${page}</w:body></w:document>`
  )
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '</Types>'

const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  '</Relationships>'

/** The DOCX bytes of a draft. */
export function draftDocx(content: DraftDocxContent): Buffer {
  return storedZip([
    ['[Content_Types].xml', CONTENT_TYPES],
    ['_rels/.rels', RELS],
    ['word/document.xml', draftDocumentXml(content)],
  ])
}

/** A ZIP archive of the entries, stored without compression. */
export function storedZip(entries: [string, string | Buffer][]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, data] of entries) {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8')
    const fileName = Buffer.from(name, 'utf8')
    const crc = crc32(bytes)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6) // UTF-8 names
    local.writeUInt32LE(crc >>> 0, 14)
    local.writeUInt32LE(bytes.length, 18)
    local.writeUInt32LE(bytes.length, 22)
    local.writeUInt16LE(fileName.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt32LE(crc >>> 0, 16)
    central.writeUInt32LE(bytes.length, 20)
    central.writeUInt32LE(bytes.length, 24)
    central.writeUInt16LE(fileName.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, fileName, bytes)
    centrals.push(central, fileName)
    offset += local.length + fileName.length + bytes.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** A decision of the demo agency, as its officer would draft it. */
export function sampleDecision(overrides: Partial<DraftDocxContent> = {}): DraftDocxContent {
  return {
    agencyLines: ['ỦY BAN NHÂN DÂN', 'TỈNH HÒA GIANG'],
    notation: '/QĐ-UBND',
    place: 'Hòa Giang',
    year: 2026,
    kindTitle: 'QUYẾT ĐỊNH',
    subject: 'Về việc thành lập Tổ công tác chuyển đổi số tỉnh Hòa Giang',
    paragraphs: [
      'ỦY BAN NHÂN DÂN TỈNH HÒA GIANG',
      'Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;',
      'Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh.',
      'Điều 1. Thành lập Tổ công tác chuyển đổi số tỉnh Hòa Giang gồm các thành viên có tên tại Phụ lục kèm theo.',
      'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
    ],
    recipients: ['Như Điều 2', 'Sở Nội vụ', 'Lưu: VT, KT'],
    authority: ['TM. ỦY BAN NHÂN DÂN'],
    signerTitle: 'CHỦ TỊCH',
    signerName: 'Trần Văn Minh',
    ...overrides,
  }
}
