/**
 * A corpus of hostile files, made here from nothing (no downloads): decompression bombs, pixel floods,
 * deep nesting, page-tree bombs, a broken cross-reference table, an encrypted PDF. Each says what a
 * reader of it must end with: a refused job naming the budget, or a job that ends on its own (done or
 * failed) without exhausting the server. Used by `npm run drill:hostile-files` and the budget tests.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import zlib from 'node:zlib'

export interface HostileFile {
  name: string
  fileName: string
  mediaType: 'application/pdf' | 'image/png' | 'image/jpeg'
  /** What the file attacks, in a few words. */
  attack: string
  /** The text-extraction error code the job must end with; undefined: any ending, as long as it ends. */
  expectedError?: string
  /** The HTTP status /api/incoming answers (images are joined at registration); default 201. */
  uploadStatus?: number
  build(): Promise<Buffer>
}

const MiB = 1024 * 1024

/** zlib of `size` zero bytes, made in chunks (the zeros never exist at once). */
async function deflatedZeros(size: number): Promise<Buffer> {
  const deflate = zlib.createDeflate({ level: 9, memLevel: 9 })
  const out: Buffer[] = []
  deflate.on('data', (chunk: Buffer) => out.push(chunk))
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject))
  const zeros = Buffer.alloc(4 * MiB)
  for (let written = 0; written < size; written += zeros.length) {
    if (!deflate.write(zeros.subarray(0, Math.min(zeros.length, size - written))))
      await new Promise((resolve) => deflate.once('drain', resolve))
  }
  deflate.end()
  await done
  return Buffer.concat(out)
}

/** A PDF from numbered object bodies (1 = catalog), with a correct cross-reference table. */
export function assemblePdf(objects: (string | Buffer)[], trailerExtra = ''): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')]
  let offset = parts[0]!.length
  const offsets: number[] = []
  objects.forEach((body, index) => {
    offsets.push(offset)
    const chunk = Buffer.concat([
      Buffer.from(`${index + 1} 0 obj\n`),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n'),
    ])
    parts.push(chunk)
    offset += chunk.length
  })
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>`,
    'startxref',
    String(offset),
    '%%EOF',
    '',
  ].join('\n')
  parts.push(Buffer.from(xref, 'latin1'))
  return Buffer.concat(parts)
}

const stream = (dict: string, data: Buffer) =>
  Buffer.concat([
    Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`),
    data,
    Buffer.from('\nendstream'),
  ])

const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
const textContent = (text: string) => Buffer.from(`BT /F1 14 Tf 72 720 Td (${text}) Tj ET`)

/** A one-page PDF whose page content is `content` (with the given filters). */
function onePage(content: Buffer, filters = '', extraObjects: (string | Buffer)[] = []) {
  return assemblePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    FONT,
    stream(filters, content),
    ...extraObjects,
  ])
}

const PLAIN_TEXT =
  'Cong van so 15 ve viec tong hop bao cao ket qua thuc hien nhiem vu nam 2026 cua cac don vi truc thuoc'

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])) >>> 0)
  return Buffer.concat([head, data, crc])
}

function png(width: number, height: number, idat: Buffer): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 0, 0, 0, 0], 8) // 8-bit greyscale, not interlaced
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

/** A baseline JPEG header claiming width×height, with a few bytes of scan data. */
function jpegHeader(width: number, height: number): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0, 0, 0, 0, 0x01, 0x01, 0x11, 0x00])
  sof.writeUInt16BE(height, 5)
  sof.writeUInt16BE(width, 7)
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    sof,
    Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x00, 0x00, 0xff, 0xd9]),
  ])
}

function deepNesting(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`
}

export const HOSTILE_FILES: HostileFile[] = [
  {
    name: 'flate-bomb',
    fileName: 'bom-giai-nen.pdf',
    mediaType: 'application/pdf',
    attack: 'page content: FlateDecode of 1 GiB of zeros',
    expectedError: 'decoded-too-large',
    build: async () => onePage(await deflatedZeros(1024 * MiB), '/Filter /FlateDecode'),
  },
  {
    name: 'nested-flate-bomb',
    fileName: 'bom-long-nhau.pdf',
    mediaType: 'application/pdf',
    attack: 'page content: FlateDecode twice over 1 GiB of zeros',
    expectedError: 'decoded-too-large',
    build: async () =>
      onePage(
        zlib.deflateSync(await deflatedZeros(1024 * MiB), { level: 9 }),
        '/Filter [/FlateDecode /FlateDecode]',
      ),
  },
  {
    name: 'many-small-bombs',
    fileName: 'nhieu-bom-nho.pdf',
    mediaType: 'application/pdf',
    attack: '12 page contents of 100 MiB of zeros each (each under the per-stream budget)',
    expectedError: 'decoded-too-large',
    build: async () => {
      const bomb = await deflatedZeros(100 * MiB)
      const count = 12
      const kids = Array.from({ length: count }, (_, i) => `${3 + 2 * i} 0 R`).join(' ')
      const objects: (string | Buffer)[] = [
        '<< /Type /Catalog /Pages 2 0 R >>',
        `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`,
      ]
      for (let i = 0; i < count; i++) {
        objects.push(
          `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents ${4 + 2 * i} 0 R >>`,
          stream('/Filter /FlateDecode', bomb),
        )
      }
      return assemblePdf(objects)
    },
  },
  {
    name: 'pixel-flood-pdf',
    fileName: 'anh-khong-lo.pdf',
    mediaType: 'application/pdf',
    attack: 'a page that is one 60000×60000 JPEG image',
    expectedError: 'image-too-large',
    build: async () =>
      assemblePdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>',
        stream('', Buffer.from('q 595 0 0 842 0 0 cm /Im0 Do Q')),
        stream(
          '/Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode',
          jpegHeader(60000, 60000),
        ),
      ]),
  },
  {
    name: 'pixel-flood-png',
    fileName: 'anh-khong-lo.png',
    mediaType: 'image/png',
    attack: 'a PNG whose header says 60000×60000',
    uploadStatus: 422,
    build: async () => png(60000, 60000, zlib.deflateSync(Buffer.alloc(60001 * 4))),
  },
  {
    name: 'pixel-flood-jpeg',
    fileName: 'anh-khong-lo.jpg',
    mediaType: 'image/jpeg',
    attack: 'a JPEG whose frame header says 60000×60000',
    uploadStatus: 422,
    build: async () => jpegHeader(60000, 60000),
  },
  {
    name: 'png-idat-bomb',
    fileName: 'png-bom.png',
    mediaType: 'image/png',
    attack: 'a 2000×2000 PNG whose pixel data inflates to 1 GiB',
    uploadStatus: 422,
    build: async () => png(2000, 2000, await deflatedZeros(1024 * MiB)),
  },
  {
    name: 'deep-nesting',
    fileName: 'long-sau.pdf',
    mediaType: 'application/pdf',
    attack: 'an array nested 200,000 deep in the catalog',
    expectedError: 'too-deeply-nested',
    build: async () =>
      assemblePdf([
        `<< /Type /Catalog /Pages 2 0 R /Nested ${deepNesting(200_000)} >>`,
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
        FONT,
        stream('', textContent(PLAIN_TEXT)),
      ]),
  },
  {
    name: 'page-tree-bomb',
    fileName: 'cay-trang.pdf',
    mediaType: 'application/pdf',
    attack: 'a page tree of 1,000,000 kids (one page object repeated), /Count 1',
    expectedError: 'too-many-pages',
    build: async () =>
      assemblePdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        `<< /Type /Pages /Kids [${'3 0 R '.repeat(1_000_000)}] /Count 1 >>`,
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
        FONT,
        stream('', textContent(PLAIN_TEXT)),
      ]),
  },
  {
    name: 'object-flood',
    fileName: 'qua-nhieu-doi-tuong.pdf',
    mediaType: 'application/pdf',
    attack: 'an object stream declaring 1,000,000 objects',
    expectedError: 'too-many-objects',
    build: async () => {
      const count = 1_000_000
      const header = Array.from({ length: count }, (_, i) => `${10 + i} ${i * 2}`).join(' ')
      const body = Buffer.from(`${header} ${'0 '.repeat(count)}`)
      return onePage(textContent(PLAIN_TEXT), '', [
        stream(
          `/Type /ObjStm /N ${count} /First ${header.length + 1} /Filter /FlateDecode`,
          zlib.deflateSync(body),
        ),
      ])
    },
  },
  {
    name: 'broken-xref',
    fileName: 'xref-hong.pdf',
    mediaType: 'application/pdf',
    attack: 'a text PDF whose cross-reference offsets and startxref are wrong',
    build: async () => {
      const good = onePage(textContent(PLAIN_TEXT)).toString('latin1')
      return Buffer.from(
        good
          .replace(/\d{10} 00000 n /g, '0000099999 00000 n ')
          .replace(/startxref\n\d+/, 'startxref\n123456'),
        'latin1',
      )
    },
  },
  {
    name: 'encrypted',
    fileName: 'ma-hoa.pdf',
    mediaType: 'application/pdf',
    attack: 'a text PDF encrypted (AES-256) with a user password',
    expectedError: 'encrypted',
    build: async () => encrypt(onePage(textContent(PLAIN_TEXT))),
  },
]

/** qpdf (Debian's, Apache-2.0) does the encryption; without it the file is made by hand-written /Encrypt. */
async function encrypt(pdf: Buffer): Promise<Buffer> {
  const dir = path.join(process.env.TMPDIR ?? '/tmp', `vanthu-encrypt-${process.pid}`)
  await mkdir(dir, { recursive: true })
  try {
    await writeFile(path.join(dir, 'in.pdf'), pdf)
    const result = spawnSync(
      'qpdf',
      ['--encrypt', 'mat-khau', 'chu-so-huu', '256', '--', 'in.pdf', 'out.pdf'],
      {
        cwd: dir,
      },
    )
    if (result.status === 0) return await readFile(path.join(dir, 'out.pdf'))
    // No qpdf: a standard security handler whose keys fit no password.
    const text = pdf.toString('latin1')
    return Buffer.from(
      text.replace(
        '/Root 1 0 R ',
        `/Root 1 0 R /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> >> /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] `,
      ),
      'latin1',
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Builds the corpus into `dir` once (bombs take seconds to deflate); returns the path of each file. */
export async function writeHostileFiles(dir: string, only?: string[]): Promise<Map<string, string>> {
  await mkdir(dir, { recursive: true })
  const paths = new Map<string, string>()
  for (const file of HOSTILE_FILES) {
    if (only && !only.includes(file.name)) continue
    const target = path.join(dir, `${file.name}${path.extname(file.fileName)}`)
    if (!existsSync(target)) await writeFile(target, await file.build())
    paths.set(file.name, target)
  }
  return paths
}
