import { PDFDocument } from 'pdf-lib'
import { PNG } from 'pngjs'
import UTIF from 'utif2'
import { describe, expect, it } from 'vitest'
import { imagesToPdf } from '../../src/documents/images-to-pdf.ts'
import { countTiffImages } from '../../src/documents/page-count.ts'
import { tiffPages } from '../../src/documents/tiff.ts'
import { AppError } from '../../src/platform/errors.ts'
import { bilevelWithSquare, buildTiff, g4FaxPage, greyRamp } from '../helpers/tiff-fixtures.ts'

const square = { x: 16, y: 8, size: 10 }
const faxPage = {
  width: 100,
  height: 60,
  bits: 1,
  photometric: 0,
  samples: bilevelWithSquare(100, 60, square),
  dpi: 200,
} as const
const greyPage = {
  width: 40,
  height: 30,
  bits: 8,
  photometric: 1,
  samples: greyRamp(40, 30, (x) => x * 6),
  dpi: 300,
} as const

/** Grey value at (x, y) of a PNG (red channel of pngjs's RGBA), and the PNG's colour type byte. */
function pixels(png: Buffer) {
  const image = PNG.sync.read(png)
  return { at: (x: number, y: number) => image.data[(y * image.width + x) * 4]!, colorType: png[25] }
}

function unreadable(bytes: Uint8Array) {
  try {
    Array.from(tiffPages(bytes))
  } catch (error) {
    return error
  }
  throw new Error('expected the TIFF to be refused')
}

describe('TIFF pages', () => {
  it.each(['none', 'packbits', 'deflate'] as const)(
    'GIVEN a two-page fax-style and grey TIFF (%s) WHEN decoded THEN two grey PNGs with the square and ramp where drawn',
    (compression) => {
      const tiff = buildTiff([
        { ...faxPage, compression },
        { ...greyPage, compression },
      ])
      expect(countTiffImages(tiff)).toBe(2)
      const [first, second, ...rest] = Array.from(tiffPages(tiff))
      expect(rest).toEqual([])
      expect(first).toMatchObject({ width: 100, height: 60, dpi: { x: 200, y: 200 } })
      const fax = pixels(first!.png)
      expect(fax.colorType).toBe(0)
      expect(fax.at(square.x, square.y)).toBe(0)
      expect(fax.at(square.x + square.size - 1, square.y + square.size - 1)).toBe(0)
      expect(fax.at(square.x - 1, square.y)).toBe(255)
      expect(fax.at(square.x + square.size, square.y + square.size)).toBe(255)
      expect(fax.at(99, 59)).toBe(255)
      expect(second).toMatchObject({ width: 40, height: 30, dpi: { x: 300, y: 300 } })
      const grey = pixels(second!.png)
      expect(grey.colorType).toBe(0)
      expect([grey.at(0, 0), grey.at(10, 5), grey.at(39, 29)]).toEqual([0, 60, 234])
    },
  )

  it('GIVEN a CCITT G4 fax page WHEN decoded THEN its ink is where it was coded', () => {
    const [page] = Array.from(tiffPages(buildTiff([g4FaxPage()])))
    expect(page).toMatchObject({ width: 16, height: 8, dpi: { x: 204, y: 204 } })
    const fax = pixels(page!.png)
    const rows = Array.from({ length: 8 }, (_, y) =>
      Array.from({ length: 16 }, (_, x) => (fax.at(x, y) === 0 ? '#' : '.')).join(''),
    )
    const inked = '....####........'
    const blank = '.'.repeat(16)
    expect(rows).toEqual([blank, blank, inked, inked, inked, inked, blank, blank])
  })

  it('GIVEN an RGBA TIFF at the 72-dpi default WHEN decoded THEN an RGB PNG with its colours and no resolution claimed', () => {
    const rgba = new Uint8Array(8 * 4 * 4)
    for (let i = 0; i < 8 * 4; i++) rgba.set(i < 4 ? [200, 30, 40, 255] : [255, 255, 255, 255], i * 4)
    const [page] = Array.from(tiffPages(new Uint8Array(UTIF.encodeImage(rgba, 8, 4))))
    expect(page).toMatchObject({ width: 8, height: 4 })
    expect(page!.dpi).toBeUndefined()
    expect(page!.png[25]).toBe(2)
    const image = PNG.sync.read(page!.png)
    expect(Array.from(image.data.subarray(0, 4))).toEqual([200, 30, 40, 255])
    expect(Array.from(image.data.subarray(4 * 4, 4 * 4 + 4))).toEqual([255, 255, 255, 255])
  })

  it('GIVEN a TIFF whose strips are cut off WHEN decoded THEN unreadable-image (422)', () => {
    const tiff = buildTiff([faxPage, greyPage])
    const error = unreadable(tiff.subarray(0, tiff.length - 100))
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ code: 'unreadable-image', status: 422 })
  })

  it('GIVEN bytes that only start like a TIFF WHEN decoded THEN unreadable-image', () => {
    const garbage = Buffer.concat([
      Buffer.from([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f]),
      Buffer.alloc(64, 0xab),
    ])
    expect(unreadable(garbage)).toMatchObject({ code: 'unreadable-image' })
    expect(unreadable(Buffer.from('%PDF-1.7 not a tiff'))).toMatchObject({ code: 'unreadable-image' })
  })

  it('GIVEN a directory chain that loops back on itself WHEN decoded THEN unreadable-image rather than a hang', () => {
    const tiff = buildTiff([faxPage])
    const first = tiff.readUInt32BE(4)
    tiff.writeUInt32BE(first, first + 2 + tiff.readUInt16BE(first) * 12)
    expect(unreadable(tiff)).toMatchObject({ code: 'unreadable-image' })
  })

  it('GIVEN a CMYK TIFF WHEN decoded THEN unreadable-image names the colour model', () => {
    const tiff = buildTiff([faxPage])
    const first = tiff.readUInt32BE(4)
    for (let entry = 0; entry < tiff.readUInt16BE(first); entry++) {
      const at = first + 2 + entry * 12
      if (tiff.readUInt16BE(at) === 262) tiff.writeUInt16BE(5, at + 8)
    }
    expect(unreadable(tiff)).toMatchObject({
      code: 'unreadable-image',
      detail: expect.stringContaining('colour model 5'),
    })
  })
})

describe('images to PDF', () => {
  it('GIVEN a PNG and a two-page TIFF WHEN joined THEN three pages in order, TIFF pages at their real size', async () => {
    const png = PNG.sync.write(Object.assign(new PNG({ width: 50, height: 100 }), {}))
    const joined = await imagesToPdf([
      { bytes: png, mediaType: 'image/png' },
      { bytes: buildTiff([faxPage, greyPage]), mediaType: 'image/tiff' },
    ])
    expect(joined.pageCount).toBe(3)
    const pdf = await PDFDocument.load(joined.bytes)
    const sizes = pdf
      .getPages()
      .map((p) => [Math.round(p.getWidth() * 100) / 100, Math.round(p.getHeight() * 100) / 100])
    expect(sizes).toEqual([
      [595.28, 1190.56],
      [(100 * 72) / 200, (60 * 72) / 200],
      [(40 * 72) / 300, (30 * 72) / 300],
    ])
  })

  it('GIVEN a corrupt TIFF among good images WHEN joined THEN unreadable-image', async () => {
    const tiff = buildTiff([faxPage])
    await expect(
      imagesToPdf([{ bytes: tiff.subarray(0, tiff.length - 50), mediaType: 'image/tiff' }]),
    ).rejects.toMatchObject({
      code: 'unreadable-image',
    })
  })
})
