import { PNG } from 'pngjs'
import UTIF from 'utif2'
import { AppError } from '../platform/errors.ts'
import { sniffMediaType } from './media-types.ts'
import { countTiffImages } from './page-count.ts'

/** One page of a TIFF, re-encoded as PNG; `dpi` only when the file states a believable resolution. */
export interface TiffPage {
  png: Buffer
  width: number
  height: number
  dpi?: { x: number; y: number }
}

// What utif2 decodes correctly; anything else it skips silently (blank pages) or throws on (CMYK needs a browser).
const COMPRESSIONS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 32773, 32946])
const PHOTOMETRICS = { whiteIsZero: 0, blackIsZero: 1, rgb: 2, palette: 3, yCbCr: 6 } as const
const COLOUR_MODELS = new Set<number>(Object.values(PHOTOMETRICS))
// A4 at 600 dpi is 35 Mpx; more than this is a decompression bomb, not a scan.
const MAX_PAGE_PIXELS = 40_000_000
// 72 dpi is the default many writers put in when they know nothing; no scanner or fax works below ~98.
const MIN_BELIEVABLE_DPI = 90
const CM_PER_INCH = 2.54

/**
 * The pages of a TIFF (single or multi-page), decoded and re-encoded as PNG one at a time, so only one
 * page's pixels are in memory. Greyscale and bilevel pages become 8-bit grey PNGs, the rest RGB.
 * Throws AppError 'unreadable-image' for a corrupt or unsupported file, before or at the page concerned.
 */
export function* tiffPages(bytes: Uint8Array): Generator<TiffPage> {
  // utif2 copies whatever is not an ArrayBuffer on every call, and reads offsets relative to the buffer.
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
  const file = (
    whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  ) as ArrayBuffer
  const ifds = readDirectories(file)
  for (const [index, ifd] of ifds.entries()) {
    const page = unreadable(() => decodePage(file, ifd, index + 1), `page ${index + 1}`)
    ifd.data = new Uint8Array(0)
    yield page
  }
}

function readDirectories(file: ArrayBuffer): UTIF.IFD[] {
  const head = Buffer.from(file, 0, Math.min(8, file.byteLength))
  if (sniffMediaType(head) !== 'image/tiff') throw unreadableError('not a TIFF file')
  // utif2 follows a looping or dangling directory chain forever; the page counter refuses both.
  const pages = unreadable(() => countTiffImages(new Uint8Array(file)), 'directory chain')
  const ifds = unreadable(() => UTIF.decode(file), 'directories')
  if (pages === 0 || ifds.length !== pages) throw unreadableError('unreadable directories')
  return ifds
}

function decodePage(file: ArrayBuffer, ifd: UTIF.IFD, number: number): TiffPage {
  const width = tag(ifd, 256)
  const height = tag(ifd, 257)
  const compression = tag(ifd, 259) ?? 1
  const photometric = tag(ifd, 262) ?? PHOTOMETRICS.whiteIsZero
  if (!width || !height) throw unreadableError(`page ${number} has no size`)
  if (width * height > MAX_PAGE_PIXELS)
    throw unreadableError(`page ${number} is larger than ${MAX_PAGE_PIXELS} pixels`)
  if (!COMPRESSIONS.has(compression))
    throw unreadableError(`page ${number}: compression ${compression} is not supported`)
  // YCbCr only comes out right from utif2's JPEG decoder; separate colour planes not at all.
  const colourModelKnown =
    COLOUR_MODELS.has(photometric) && (photometric !== PHOTOMETRICS.yCbCr || compression === 7)
  if (!colourModelKnown || (tag(ifd, 284) ?? 1) !== 1) {
    throw unreadableError(`page ${number}: colour model ${photometric} is not supported`)
  }
  // utif2's JPEG decoder always gives RGB, which would overrun a one-sample page.
  if ((compression === 6 || compression === 7) && (tag(ifd, 277) ?? 1) === 1) {
    throw unreadableError(`page ${number}: JPEG-compressed greyscale is not supported`)
  }
  if (!stripsWithin(ifd, file.byteLength)) throw unreadableError(`page ${number} is truncated`)
  UTIF.decodeImage(file, ifd)
  const rowBytes = Math.ceil((width * (tag(ifd, 258) ?? 1) * (tag(ifd, 277) ?? 1)) / 8)
  if (!ifd.data || ifd.data.length < rowBytes * height) throw unreadableError(`page ${number} is truncated`)
  const dpi = resolution(ifd)
  return { png: encodePng(ifd, width, height), width, height, ...(dpi ? { dpi } : {}) }
}

/** Strip (or tile) data lies inside the file: a cut-off upload would otherwise decode as blank. */
function stripsWithin(ifd: UTIF.IFD, fileLength: number): boolean {
  const offsets = (ifd.t273 ?? ifd.t324) as number[] | undefined
  const lengths = (ifd.t279 ?? ifd.t325) as number[] | undefined
  if (!offsets?.length || !lengths || lengths.length < offsets.length) return false
  return offsets.every((offset, i) => offset + lengths[i]! <= fileLength)
}

function encodePng(ifd: UTIF.IFD, width: number, height: number): Buffer {
  const grey = greyPixels(ifd, width, height)
  // The PNG's compressed rows go into the PDF as they are: zlib's default level (native, fast) keeps the
  // stored file small; no row filters, which help photographs more than scanned paper.
  const fast = { deflateLevel: 6, filterType: 0 }
  const image = Object.assign(new PNG(), {
    width,
    height,
    data: grey ?? Buffer.from(UTIF.toRGBA8(ifd).buffer),
  })
  return grey
    ? PNG.sync.write(image, { ...fast, colorType: 0, inputColorType: 0, inputHasAlpha: false })
    : PNG.sync.write(image, { ...fast, colorType: 2, inputColorType: 6, inputHasAlpha: true })
}

/** One byte per pixel, 0 = black, for greyscale and bilevel pages; undefined for colour. */
function greyPixels(ifd: UTIF.IFD, width: number, height: number): Buffer | undefined {
  const photometric = tag(ifd, 262) ?? PHOTOMETRICS.whiteIsZero
  if (
    (tag(ifd, 277) ?? 1) !== 1 ||
    (photometric !== PHOTOMETRICS.whiteIsZero && photometric !== PHOTOMETRICS.blackIsZero)
  ) {
    return undefined
  }
  const bits = tag(ifd, 258) ?? 1
  const white = photometric === PHOTOMETRICS.whiteIsZero ? 0 : 255
  const grey = Buffer.alloc(width * height)
  if (bits === 1) {
    const rowBytes = Math.ceil(width / 8)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = (ifd.data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1
        grey[y * width + x] = bit ? white : 255 - white
      }
    }
  } else if (bits === 8) {
    for (let i = 0; i < grey.length; i++) grey[i] = white ? ifd.data[i]! : 255 - ifd.data[i]!
  } else {
    // 2, 4 and 16-bit grey are rare in scans: let utif2 expand them, then keep one channel.
    const rgba = UTIF.toRGBA8(ifd)
    for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4]!
  }
  return grey
}

/** Dots per inch from XResolution / YResolution / ResolutionUnit, when both axes are believable. */
function resolution(ifd: UTIF.IFD): { x: number; y: number } | undefined {
  const unit = tag(ifd, 296) ?? 2
  const perInch = unit === 2 ? 1 : unit === 3 ? CM_PER_INCH : 0
  const [x, y] = [rational(ifd, 282) * perInch, rational(ifd, 283) * perInch]
  return x >= MIN_BELIEVABLE_DPI && y >= MIN_BELIEVABLE_DPI ? { x, y } : undefined
}

function tag(ifd: UTIF.IFD, id: number): number | undefined {
  const value = (ifd[`t${id}`] as number[] | undefined)?.[0]
  return typeof value === 'number' ? value : undefined
}

function rational(ifd: UTIF.IFD, id: number): number {
  const [numerator, denominator] = ((ifd[`t${id}`] as unknown as [number, number][] | undefined)?.[0] ?? [
    0, 0,
  ]) as [number, number]
  return denominator ? numerator / denominator : 0
}

function unreadable<T>(work: () => T, where: string): T {
  try {
    return work()
  } catch (error) {
    if (error instanceof AppError) throw error
    throw unreadableError(`unreadable ${where}`, error)
  }
}

function unreadableError(detail: string, cause?: unknown): AppError {
  return new AppError('unreadable-image', { detail: `TIFF: ${detail}.`, cause })
}
