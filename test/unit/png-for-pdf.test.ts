import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { imagesToPdf } from '../../src/documents/images-to-pdf.ts'
import { passthroughPng } from '../../src/documents/png-for-pdf.ts'

/**
 * Scanned PNGs go into the PDF still compressed. Poppler's pdfimages decodes each image XObject back to
 * pixels, which must equal the PNG's own, whatever row filters, bit depth or palette the PNG used.
 */

let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'png-for-pdf-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The RGB pixels of each image in the PDF, decoded by poppler (pdfimages -png). */
async function imagesInPdf(pdf: Uint8Array): Promise<{ width: number; height: number; rgb: number[] }[]> {
  const work = mkdtempSync(path.join(dir, 'x-'))
  writeFileSync(path.join(work, 'in.pdf'), pdf)
  execFileSync('pdfimages', ['-png', 'in.pdf', 'img'], { cwd: work })
  return readdirSync(work)
    .filter((name) => name.startsWith('img'))
    .sort()
    .map((name) => {
      const png = PNG.sync.read(readFileSync(path.join(work, name)))
      const rgb: number[] = []
      for (let i = 0; i < png.width * png.height; i++) rgb.push(...png.data.subarray(i * 4, i * 4 + 3))
      return { width: png.width, height: png.height, rgb }
    })
}

/** A PNG written byte by byte (pngjs cannot write palettes or sub-byte depths). */
function rawPng(options: {
  width: number
  height: number
  bitDepth: number
  colourType: number
  rows: number[][]
  palette?: number[]
  transparency?: number[]
}): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(options.width, 0)
  header.writeUInt32BE(options.height, 4)
  header.set([options.bitDepth, options.colourType, 0, 0, 0], 8)
  const rows = Buffer.from(options.rows.flatMap((row) => [0, ...row]))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(options.palette ? [chunk('PLTE', Buffer.from(options.palette))] : []),
    ...(options.transparency ? [chunk('tRNS', Buffer.from(options.transparency))] : []),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A colour picture whose rows pngjs encodes with its adaptive choice among all five PNG filters. */
function colourPicture(width: number, height: number) {
  const image = new PNG({ width, height })
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4
      image.data.set([(x * 7 + y) & 255, (y * 13) & 255, (x * y) & 255, 255], at)
    }
  const rgb: number[] = []
  for (let i = 0; i < width * height; i++) rgb.push(...image.data.subarray(i * 4, i * 4 + 3))
  const bytes = PNG.sync.write(image, { colorType: 2, filterType: -1 })
  return { bytes, rgb }
}

describe('scanned PNGs in a PDF without decoding', () => {
  it('GIVEN an RGB PNG with mixed row filters WHEN joined THEN the PDF holds its IDAT bytes and poppler decodes the same pixels', async () => {
    const { bytes, rgb } = colourPicture(61, 37)
    expect(passthroughPng(bytes)).toMatchObject({ width: 61, height: 37 })
    const { bytes: pdf, pageCount } = await imagesToPdf([{ bytes, mediaType: 'image/png' }])
    expect(pageCount).toBe(1)
    expect(await imagesInPdf(pdf)).toEqual([{ width: 61, height: 37, rgb }])
  })

  it('GIVEN a 1-bit bilevel scan and a 4-bit palette PNG WHEN joined THEN both decode to their pixels', async () => {
    const bilevel = rawPng({
      width: 10,
      height: 2,
      bitDepth: 1,
      colourType: 0,
      rows: [
        [0b10110000, 0b01000000],
        [0xff, 0xc0],
      ],
    })
    const palette = [255, 0, 0, 0, 128, 255, 10, 20, 30]
    const indexed = rawPng({
      width: 3,
      height: 2,
      bitDepth: 4,
      colourType: 3,
      palette,
      rows: [
        [0x01, 0x20],
        [0x22, 0x10],
      ],
    })
    const pdf = (
      await imagesToPdf([
        { bytes: bilevel, mediaType: 'image/png' },
        { bytes: indexed, mediaType: 'image/png' },
      ])
    ).bytes
    const [first, second] = await imagesInPdf(pdf)
    const bits = [1, 0, 1, 1, 0, 0, 0, 0, 0, 1, ...Array(10).fill(1)]
    expect(first).toEqual({
      width: 10,
      height: 2,
      rgb: bits.flatMap((bit) => [bit * 255, bit * 255, bit * 255]),
    })
    const colour = (index: number) => palette.slice(index * 3, index * 3 + 3)
    expect(second).toEqual({ width: 3, height: 2, rgb: [0, 1, 2, 2, 2, 1].flatMap(colour) })
  })

  it('GIVEN PNGs with an alpha channel or tRNS transparency WHEN joined THEN they are decoded the long way and still come out', async () => {
    const withAlpha = PNG.sync.write(Object.assign(new PNG({ width: 4, height: 4 }), {}), { colorType: 6 })
    const transparentGrey = rawPng({
      width: 2,
      height: 1,
      bitDepth: 8,
      colourType: 0,
      rows: [[0, 255]],
      transparency: [0, 0],
    })
    expect(passthroughPng(withAlpha)).toBeUndefined()
    expect(passthroughPng(transparentGrey)).toBeUndefined()
    const joined = await imagesToPdf([
      { bytes: withAlpha, mediaType: 'image/png' },
      { bytes: transparentGrey, mediaType: 'image/png' },
    ])
    expect(joined.pageCount).toBe(2)
  })

  it('GIVEN a PNG whose pixel data is damaged or cut off WHEN joined THEN unreadable-image, as before', async () => {
    const { bytes } = colourPicture(40, 40)
    const idat = bytes.indexOf('IDAT', 0, 'latin1')
    const damaged = Buffer.from(bytes)
    for (let i = idat + 20; i < idat + 40; i++) damaged[i] = damaged[i]! ^ 0x5a
    const shortRows = rawPng({
      width: 8,
      height: 3,
      bitDepth: 8,
      colourType: 0,
      rows: [[1, 2, 3, 4, 5, 6, 7, 8]],
    })
    for (const bad of [damaged, bytes.subarray(0, bytes.length - 30), shortRows]) {
      await expect(imagesToPdf([{ bytes: bad, mediaType: 'image/png' }])).rejects.toMatchObject({
        code: 'unreadable-image',
      })
    }
  })
})
