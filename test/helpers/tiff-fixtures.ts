import { deflateSync } from 'node:zlib'
import UTIF from 'utif2'

/** One page of a hand-built TIFF: grey or bilevel samples, stored uncompressed, PackBits or Deflate, or as given (G4). */
export interface FixturePage {
  width: number
  height: number
  bits: 1 | 8
  /** 0 = WhiteIsZero (fax style), 1 = BlackIsZero. */
  photometric: 0 | 1
  /** Packed rows (1-bit rows padded to whole bytes); for 'ccitt-g4' the coded bytes themselves. */
  samples: Uint8Array
  compression?: Compression
  dpi?: number
}

type Compression = 'none' | 'packbits' | 'deflate' | 'ccitt-g4'

const COMPRESSION_TAG = { none: 1, packbits: 32773, deflate: 8, 'ccitt-g4': 4 } as const

/**
 * A classic big-endian TIFF with one directory per page, all directories first, then the strips,
 * so scanner-style multi-page files can be made without any image tool.
 */
export function buildTiff(pages: FixturePage[]): Buffer {
  const strips = pages.map((page) =>
    compress(page.samples, page.compression ?? 'none', Math.ceil((page.width * page.bits) / 8)),
  )
  const directories = (stripOffsets: number[]) =>
    Buffer.from(UTIF.encode(pages.map((page, i) => directory(page, stripOffsets[i]!, strips[i]!.length))))
  // Every tag value keeps its size whatever the offset, so the first pass gives the header length.
  const headerLength = directories(pages.map(() => 0)).length
  const offsets = strips.map(
    (_, i) => headerLength + strips.slice(0, i).reduce((sum, s) => sum + s.length, 0),
  )
  return Buffer.concat([directories(offsets), ...strips])
}

/**
 * A 16 x 8 fax page coded by hand in CCITT Group 4 (T.6): white, with ink at x 4–7 on rows 2–5.
 * Row codes: V0 = 1, pass = 0001, horizontal = 001 + white run 4 (1011) + black run 4 (011); then EOFB.
 */
export function g4FaxPage(): FixturePage {
  const rows = ['1', '1', '001' + '1011' + '011' + '1', '111', '111', '111', '0001' + '1', '1']
  const bits = [...rows, '000000000001', '000000000001'].join('')
  const bytes = bits
    .padEnd(Math.ceil(bits.length / 8) * 8, '0')
    .match(/.{8}/g)!
    .map((byte) => Number.parseInt(byte, 2))
  return {
    width: 16,
    height: 8,
    bits: 1,
    photometric: 0,
    samples: Uint8Array.from(bytes),
    compression: 'ccitt-g4',
    dpi: 204,
  }
}

/** Packed 1-bit rows (1 = ink under WhiteIsZero) with a filled rectangle, the rest blank. */
export function bilevelWithSquare(
  width: number,
  height: number,
  square: { x: number; y: number; size: number },
) {
  const rowBytes = Math.ceil(width / 8)
  const samples = new Uint8Array(rowBytes * height)
  for (let y = square.y; y < square.y + square.size; y++) {
    for (let x = square.x; x < square.x + square.size; x++)
      samples[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7)
  }
  return samples
}

/** 8-bit grey rows, value(x, y) per pixel. */
export function greyRamp(width: number, height: number, value: (x: number, y: number) => number) {
  const samples = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) samples[y * width + x] = value(x, y)
  return samples
}

function directory(page: FixturePage, stripOffset: number, stripLength: number): UTIF.IFD {
  const dpi = page.dpi ?? 72
  return {
    t256: [page.width],
    t257: [page.height],
    t258: [page.bits],
    t259: [COMPRESSION_TAG[page.compression ?? 'none']],
    t262: [page.photometric],
    t273: [stripOffset],
    t277: [1],
    t278: [page.height],
    t279: [stripLength],
    t282: [[dpi, 1]],
    t283: [[dpi, 1]],
    t296: [2],
  } as unknown as UTIF.IFD
}

function compress(samples: Uint8Array, compression: Compression, rowBytes: number): Buffer {
  if (compression === 'deflate') return deflateSync(samples)
  if (compression === 'none' || compression === 'ccitt-g4') return Buffer.from(samples)
  // PackBits, row by row as the spec asks: a blank row as repeat runs, any other as literal runs.
  const out: number[] = []
  for (let row = 0; row < samples.length; row += rowBytes) {
    const bytes = samples.subarray(row, row + rowBytes)
    const blank = bytes.every((b) => b === 0)
    for (let i = 0; i < bytes.length; i += 128) {
      const run = bytes.subarray(i, i + 128)
      if (blank && run.length > 1) out.push(257 - run.length, 0)
      else out.push(run.length - 1, ...run)
    }
  }
  return Buffer.from(out)
}
