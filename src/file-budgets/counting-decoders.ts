import zlib from 'node:zlib'

/**
 * Decoders for the PDF filters that can expand their input (Flate, LZW, RunLength, ASCII85/Hex) which
 * count what they would produce without keeping it, or keep it only up to a limit. A truncated or
 * damaged stream counts what decodes before the damage, as a tolerant reader (pdf.js) would produce it.
 */

/** Filters whose output size says nothing about memory here (image codecs): the pixel budget covers them. */
const EXPANDING = new Set(['FlateDecode', 'Fl', 'LZWDecode', 'LZW', 'RunLengthDecode', 'RL'])
const TEXTUAL = new Set(['ASCII85Decode', 'A85', 'ASCIIHexDecode', 'AHx'])

export function isCountable(filter: string): boolean {
  return EXPANDING.has(filter) || TEXTUAL.has(filter)
}

/** Thrown when the output passes `limit`; the count is then at least limit + 1. */
export class OutputLimitError extends Error {
  constructor(readonly produced: number) {
    super(`decoded output passed its limit (${produced} bytes so far)`)
  }
}

/** The decoded bytes, refused (OutputLimitError) as soon as they pass `limit`. */
export function decodeWithin(filter: string, input: Uint8Array, limit: number): Uint8Array {
  switch (filter) {
    case 'FlateDecode':
    case 'Fl':
      try {
        return zlib.inflateSync(input, {
          maxOutputLength: limit + 1,
          finishFlush: zlib.constants.Z_SYNC_FLUSH,
        })
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw new OutputLimitError(limit + 1)
        return new Uint8Array(0)
      }
    case 'ASCIIHexDecode':
    case 'AHx':
      return asciiHex(input)
    case 'ASCII85Decode':
    case 'A85':
      return ascii85(input, limit)
    default: {
      // LZW and RunLength only appear as the last decoding step in practice; keep them countable anyway.
      const size = countDecoded(filter, input, limit)
      if (size > limit) throw new OutputLimitError(size)
      return new Uint8Array(0)
    }
  }
}

/** How many bytes the filter decodes `input` to, stopping (with a count above `limit`) once past it. */
export function countDecoded(filter: string, input: Uint8Array, limit: number): number {
  switch (filter) {
    case 'LZWDecode':
    case 'LZW':
      return countLzw(input, limit)
    case 'RunLengthDecode':
    case 'RL':
      return countRunLength(input)
    default:
      return decodeWithin(filter, input, limit).length
  }
}

/** Flate counted as a stream (nothing is kept), stopping once past `limit`. */
export function countInflated(input: Uint8Array, limit: number): Promise<number> {
  return new Promise((resolve) => {
    let produced = 0
    const inflate = zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: 64 * 1024 })
    inflate.on('data', (chunk: Buffer) => {
      produced += chunk.length
      if (produced > limit) {
        inflate.destroy()
        resolve(produced)
      }
    })
    inflate.on('end', () => resolve(produced))
    inflate.on('error', () => resolve(produced))
    inflate.on('close', () => resolve(produced))
    inflate.end(input)
  })
}

function countRunLength(input: Uint8Array): number {
  let produced = 0
  for (let i = 0; i < input.length; ) {
    const length = input[i]!
    if (length === 128) break
    if (length < 128) {
      produced += length + 1
      i += length + 2
    } else {
      produced += 257 - length
      i += 2
    }
  }
  return produced
}

/** LZW (ISO 32000-1, 7.4.4) with EarlyChange 1: only each code's length is tracked, never its bytes. */
function countLzw(input: Uint8Array, limit: number): number {
  const lengths = new Uint32Array(4096)
  let next = 258
  let width = 9
  let previous = -1
  let produced = 0
  let buffer = 0
  let bits = 0
  for (const byte of input) {
    buffer = ((buffer << 8) | byte) >>> 0
    bits += 8
    while (bits >= width) {
      const code = (buffer >>> (bits - width)) & ((1 << width) - 1)
      bits -= width
      if (code === 257) return produced
      if (code === 256) {
        next = 258
        width = 9
        previous = -1
        continue
      }
      const length =
        code < 256 ? 1 : code < next ? lengths[code]! : previous >= 0 ? lengthOf(previous) + 1 : 0
      if (length === 0) return produced
      produced += length
      if (produced > limit) return produced
      if (previous >= 0 && next < 4096) lengths[next++] = lengthOf(previous) + 1
      previous = code
      if (next + 1 >= 1 << width && width < 12) width++
    }
  }
  return produced

  function lengthOf(code: number): number {
    return code < 256 ? 1 : lengths[code]!
  }
}

function asciiHex(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(input.length / 2))
  let size = 0
  let high = -1
  for (const byte of input) {
    if (byte === 0x3e) break
    const digit = hexDigit(byte)
    if (digit < 0) continue
    if (high < 0) high = digit
    else {
      out[size++] = (high << 4) | digit
      high = -1
    }
  }
  if (high >= 0) out[size++] = high << 4
  return out.subarray(0, size)
}

function hexDigit(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57
  return -1
}

function ascii85(input: Uint8Array, limit: number): Uint8Array {
  // 'z' stands for four zero bytes: at most 4× the input.
  const out = new Uint8Array(Math.min(input.length * 4, limit + 1))
  let size = 0
  const group: number[] = []
  const flush = (count: number) => {
    while (group.length < 5) group.push(84)
    let value = 0
    for (const digit of group) value = value * 85 + digit
    for (let i = 0; i < count - 1 && size < out.length; i++) out[size++] = (value >>> (24 - 8 * i)) & 0xff
    group.length = 0
  }
  for (const byte of input) {
    if (byte === 0x7e) break
    if (byte === 0x7a && group.length === 0) {
      size = Math.min(out.length, size + 4)
      continue
    }
    if (byte < 0x21 || byte > 0x75) continue
    group.push(byte - 0x21)
    if (group.length === 5) flush(5)
    if (size > limit) throw new OutputLimitError(size)
  }
  if (group.length > 1) flush(group.length)
  return out.subarray(0, size)
}
