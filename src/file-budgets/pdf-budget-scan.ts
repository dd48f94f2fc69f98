import { imageSize } from '../text/image-size.ts'
import { BudgetExceededError, type FileBudgets, formatMiB } from './budgets.ts'
import {
  countDecoded,
  countInflated,
  decodeWithin,
  isCountable,
  OutputLimitError,
} from './counting-decoders.ts'

/** What a PDF's scan found, for logs and the drill. */
export interface PdfScanReport {
  bytes: number
  objects: number
  /** Page dictionaries (distinct object numbers; an upper bound of the page count). */
  pages: number
  streams: number
  /** Bytes the counted streams decode to together. */
  decodedBytes: number
  maxDepth: number
  /** The file has an /Encrypt dictionary: its streams could not be measured. */
  encrypted: boolean
}

// Byte classes of the PDF lexer (ISO 32000-1, 7.2.2).
const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20])
const DELIMITER = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25])
const KEPT_KEYS = new Set(['Type', 'Subtype', 'Filter', 'Width', 'Height', 'N', 'Count', 'Encrypt'])
const ENDSTREAM = Buffer.from('endstream')
const MAX_TOKEN = 127
/** A JPEG's frame header sits in its first bytes; enough to read its real size. */
const JPEG_HEAD = 64 * 1024

const Mode = { Normal: 0, Comment: 1, LiteralString: 2, HexString: 3, StreamData: 4 } as const
type Mode = (typeof Mode)[keyof typeof Mode]

interface Frame {
  dict: boolean
  key: string | undefined
  valueTokens: number
  values: Map<string, string[]>
  /** An array that is the value of /Filter: its names belong to the enclosing dictionary. */
  collectInto?: string[]
  /** An array that is the value of /Kids: each reference is a page-tree node. */
  kids?: boolean
}

interface OpenStream {
  dict: Map<string, string[]>
  filters: string[]
  /** Up to this many bytes are held (all for expanding filters, the header of a JPEG, none otherwise). */
  keepLimit: number
  chunks: Uint8Array[]
  kept: number
  /** The previous chunk's last bytes: `endstream` may straddle two chunks. */
  tail: Buffer
  skipLineFeed: boolean
}

/**
 * A one-pass scan of a PDF's bytes, fed in chunks as they come from storage, that refuses the file
 * (BudgetExceededError) as soon as it passes a budget: what each stream decodes to (counted, not kept),
 * image sizes from their dictionaries (and a JPEG's own header), nesting depth, objects and pages —
 * including those inside object streams. It reads no cross-reference table, so a broken one does not
 * stop it. Only streams with expanding filters are held, one at a time, while they are counted.
 */
export class PdfBudgetScanner {
  private mode: Mode = Mode.Normal
  private token = ''
  private tokenOpen = false
  private pendingLt = false
  private pendingGt = false
  private stringDepth = 0
  private escape = false
  private readonly stack: Frame[] = []
  private readonly recent: string[] = []
  private lastTopDict: Map<string, string[]> | undefined
  private currentObject: string | undefined
  /** Page counts live on the file's scanner; an object stream's scanner adds to them. */
  private readonly pageObjects: Set<string>
  private readonly unnamedPages: { count: number }
  /** References in /Kids arrays: a page tree can repeat one page object a million times. */
  private readonly kidsReferences: { count: number }
  private streamDone = false
  private stream: OpenStream | undefined
  private readonly report: PdfScanReport

  constructor(
    private readonly budgets: FileBudgets,
    private readonly inObjectStream = false,
    parent?: PdfBudgetScanner,
  ) {
    this.pageObjects = parent?.pageObjects ?? new Set()
    this.unnamedPages = parent?.unnamedPages ?? { count: 0 }
    this.kidsReferences = parent?.kidsReferences ?? { count: 0 }
    this.report = parent?.report ?? {
      bytes: 0,
      objects: 0,
      pages: 0,
      streams: 0,
      decodedBytes: 0,
      maxDepth: 0,
      encrypted: false,
    }
  }

  async push(chunk: Uint8Array): Promise<void> {
    if (!this.inObjectStream) this.report.bytes += chunk.length
    let i = 0
    while (i < chunk.length) {
      if (this.mode === Mode.StreamData) {
        i = this.streamBytes(chunk, i)
        if (this.stream && this.streamDone) await this.closeStream()
        continue
      }
      this.lexByte(chunk[i]!)
      i++
    }
  }

  async end(): Promise<PdfScanReport> {
    this.lexByte(0x0a)
    if (this.stream) await this.closeStream()
    return this.report
  }

  // ---- lexer ----

  private lexByte(byte: number): void {
    switch (this.mode) {
      case Mode.Comment:
        if (byte === 0x0a || byte === 0x0d) this.mode = Mode.Normal
        return
      case Mode.LiteralString:
        if (this.escape) this.escape = false
        else if (byte === 0x5c) this.escape = true
        else if (byte === 0x28) this.stringDepth++
        else if (byte === 0x29 && --this.stringDepth === 0) {
          this.mode = Mode.Normal
          this.value('(string)')
        }
        return
      case Mode.HexString:
        if (byte === 0x3e) {
          this.mode = Mode.Normal
          this.value('<hex>')
        }
        return
    }
    if (this.pendingLt) {
      this.pendingLt = false
      if (byte === 0x3c) {
        this.open(true)
        return
      }
      this.mode = Mode.HexString
      this.lexByte(byte)
      return
    }
    if (this.pendingGt) {
      this.pendingGt = false
      if (byte === 0x3e) {
        this.close()
        return
      }
    }
    if (!WHITESPACE.has(byte) && !DELIMITER.has(byte)) {
      if (!this.tokenOpen) {
        this.tokenOpen = true
        this.token = ''
      }
      if (this.token.length < MAX_TOKEN) this.token += String.fromCharCode(byte)
      return
    }
    if (this.tokenOpen) this.endToken(byte)
    switch (byte) {
      case 0x25:
        this.mode = Mode.Comment
        return
      case 0x28:
        this.mode = Mode.LiteralString
        this.stringDepth = 1
        return
      case 0x3c:
        this.pendingLt = true
        return
      case 0x3e:
        this.pendingGt = true
        return
      case 0x5b:
        this.open(false)
        return
      case 0x5d:
        this.close()
        return
      case 0x2f:
        this.tokenOpen = true
        this.token = '/'
        return
    }
  }

  private endToken(delimiter: number): void {
    this.tokenOpen = false
    const token = this.token
    if (token === 'stream' && !this.inObjectStream && this.stack.length === 0 && this.lastTopDict) {
      this.openStream(this.lastTopDict, delimiter)
      return
    }
    if (token === 'obj' && this.stack.length === 0) {
      this.countObject()
      return
    }
    if (token === 'endobj' && this.stack.length === 0) {
      this.closeObject()
      return
    }
    this.value(token)
  }

  // ---- structure ----

  private open(dict: boolean): void {
    const parent = this.stack.at(-1)
    const frame: Frame = { dict, key: undefined, valueTokens: 0, values: new Map() }
    if (!dict && parent?.dict && parent.key === 'Filter') {
      frame.collectInto = []
      parent.values.set('Filter', frame.collectInto)
    }
    if (!dict && parent?.dict && parent.key === 'Kids') frame.kids = true
    this.stack.push(frame)
    const depth = this.stack.length
    if (depth > this.report.maxDepth) this.report.maxDepth = depth
    if (depth > this.budgets.nestingDepth) {
      throw new BudgetExceededError(
        'too-deeply-nested',
        `Arrays and dictionaries nested more than ${this.budgets.nestingDepth} deep.`,
      )
    }
  }

  private close(): void {
    const frame = this.stack.pop()
    if (!frame) return
    if (this.stack.length === 0) {
      if (frame.dict) this.topLevelDict(frame.values)
      this.rememberToken('<container>')
    }
    this.value('<container>', frame.collectInto !== undefined)
  }

  /** A token at the current level: a dictionary key, part of a value, or a top-level token. */
  private value(token: string, alreadyStored = false): void {
    const frame = this.stack.at(-1)
    if (!frame) {
      if (token !== '<container>') this.rememberToken(token)
      return
    }
    if (frame.collectInto) {
      if (token.startsWith('/')) frame.collectInto.push(token.slice(1))
      return
    }
    if (frame.kids && token === 'R') this.countKid()
    if (!frame.dict) return
    if (token.startsWith('/') && (frame.key === undefined || frame.valueTokens > 0)) {
      frame.key = token.slice(1)
      frame.valueTokens = 0
      return
    }
    if (frame.key === undefined) return
    frame.valueTokens++
    if (!alreadyStored && KEPT_KEYS.has(frame.key)) {
      const values = frame.values.get(frame.key) ?? []
      if (values.length < 4) values.push(token)
      frame.values.set(frame.key, values)
    }
  }

  private rememberToken(token: string): void {
    this.recent.push(token)
    if (this.recent.length > 3) this.recent.shift()
    if (token !== '<container>') this.lastTopDict = undefined
  }

  private topLevelDict(values: Map<string, string[]>): void {
    this.lastTopDict = values
    if (values.has('Encrypt')) this.report.encrypted = true
    const type = values.get('Type')?.[0]
    if (type === '/Pages' && Number(values.get('Count')?.[0]) > this.budgets.pages) throw this.tooManyPages()
    if (type !== '/Page') return
    if (this.currentObject && !this.inObjectStream) this.pageObjects.add(this.currentObject)
    else this.unnamedPages.count++
    this.report.pages = this.pageObjects.size + this.unnamedPages.count
    if (this.report.pages > this.budgets.pages) throw this.tooManyPages()
  }

  private countKid(): void {
    // Every node but the root is someone's kid: a tree of N pages has fewer than 2N kids.
    if (++this.kidsReferences.count > 2 * this.budgets.pages) throw this.tooManyPages()
  }

  private tooManyPages(): BudgetExceededError {
    return new BudgetExceededError('too-many-pages', `More than ${this.budgets.pages} pages.`)
  }

  private countObject(): void {
    this.currentObject = this.recent.at(-2)
    this.lastTopDict = undefined
    this.addObjects(1)
  }

  private closeObject(): void {
    this.currentObject = undefined
  }

  private addObjects(count: number): void {
    this.report.objects += count
    if (this.report.objects > this.budgets.objects) {
      throw new BudgetExceededError('too-many-objects', `More than ${this.budgets.objects} objects.`)
    }
  }

  // ---- streams ----

  private openStream(dict: Map<string, string[]>, delimiter: number): void {
    this.report.streams++
    this.lastTopDict = undefined
    const filters = (dict.get('Filter') ?? []).map((name) => name.replace(/^\//, ''))
    this.checkImage(dict)
    const isObjectStream = dict.get('Type')?.[0] === '/ObjStm'
    const isJpegImage = dict.get('Subtype')?.[0] === '/Image' && filters.at(-1) === 'DCTDecode'
    this.stream = {
      dict,
      filters,
      keepLimit:
        isObjectStream || (filters.length > 0 && filters.every(isCountable))
          ? Number.POSITIVE_INFINITY
          : isJpegImage
            ? JPEG_HEAD
            : 0,
      chunks: [],
      kept: 0,
      tail: Buffer.alloc(0),
      skipLineFeed: delimiter === 0x0d,
    }
    this.streamDone = false
    this.mode = Mode.StreamData
  }

  private checkImage(dict: Map<string, string[]>): void {
    if (dict.get('Subtype')?.[0] !== '/Image') return
    const width = Number(dict.get('Width')?.[0])
    const height = Number(dict.get('Height')?.[0])
    if (width * height > this.budgets.imagePixels) throw this.pixelFlood(width, height)
  }

  private pixelFlood(width: number, height: number): BudgetExceededError {
    return new BudgetExceededError(
      'image-too-large',
      `An image of ${width}×${height} pixels (at most ${this.budgets.imagePixels}).`,
    )
  }

  /**
   * Consumes stream data from `chunk` at `start`; returns where the data ended (or the chunk's end).
   * The data always runs to `endstream`, as a lenient reader finds it when /Length is wrong: a lying
   * /Length cannot hide the objects after it from the scan.
   */
  private streamBytes(chunk: Uint8Array, start: number): number {
    const stream = this.stream!
    let from = start
    if (stream.skipLineFeed) {
      stream.skipLineFeed = false
      if (chunk[from] === 0x0a) from++
    }
    const carried = stream.tail.length
    const window = Buffer.concat([stream.tail, chunk.subarray(from)])
    const found = window.indexOf(ENDSTREAM)
    if (found >= 0) {
      this.keep(stream, window.subarray(carried, Math.max(carried, found)))
      this.streamDone = true
      return from + found + ENDSTREAM.length - carried
    }
    this.keep(stream, window.subarray(carried))
    stream.tail = window.subarray(Math.max(0, window.length - ENDSTREAM.length + 1))
    return chunk.length
  }

  private keep(stream: OpenStream, bytes: Uint8Array): void {
    const room = stream.keepLimit - stream.kept
    if (room <= 0 || bytes.length === 0) return
    const kept = bytes.subarray(0, Math.min(room, bytes.length)).slice()
    stream.chunks.push(kept)
    stream.kept += kept.length
  }

  private async closeStream(): Promise<void> {
    const stream = this.stream!
    this.stream = undefined
    this.mode = Mode.Normal
    if (stream.kept === 0) return
    const data = Buffer.concat(stream.chunks)
    const isObjectStream = stream.dict.get('Type')?.[0] === '/ObjStm'
    if (stream.filters.at(-1) === 'DCTDecode') {
      const size = imageSize(data.subarray(0, JPEG_HEAD))
      if (size && size.width * size.height > this.budgets.imagePixels)
        throw this.pixelFlood(size.width, size.height)
      return
    }
    if (this.report.encrypted) return
    if (isObjectStream) return this.scanObjectStream(stream, data)
    this.addDecoded(await this.decodedSize(stream.filters, data))
  }

  /** Every filter but the last is decoded (within the budget); the last is only counted. */
  private async decodedSize(filters: string[], data: Uint8Array): Promise<number> {
    const limit = Math.min(this.budgets.streamBytes, this.budgets.fileDecodedBytes - this.report.decodedBytes)
    let input = data
    try {
      for (const filter of filters.slice(0, -1)) input = decodeWithin(filter, input, limit)
    } catch (error) {
      if (error instanceof OutputLimitError) return error.produced
      throw error
    }
    const last = filters.at(-1)!
    return last === 'FlateDecode' || last === 'Fl'
      ? countInflated(input, limit)
      : countDecoded(last, input, limit)
  }

  private addDecoded(size: number): void {
    this.report.decodedBytes += size
    if (size > this.budgets.streamBytes) {
      throw new BudgetExceededError(
        'decoded-too-large',
        `A stream decodes to more than ${formatMiB(this.budgets.streamBytes)}.`,
      )
    }
    if (this.report.decodedBytes > this.budgets.fileDecodedBytes) {
      throw new BudgetExceededError(
        'decoded-too-large',
        `The file's streams decode to more than ${formatMiB(this.budgets.fileDecodedBytes)} together.`,
      )
    }
  }

  /** An object stream's objects count as objects, and their dictionaries are scanned like the file's. */
  private async scanObjectStream(stream: OpenStream, data: Uint8Array): Promise<void> {
    this.addObjects(Number(stream.dict.get('N')?.[0]) || 0)
    let decoded = data
    try {
      for (const filter of stream.filters) decoded = decodeWithin(filter, decoded, this.budgets.streamBytes)
    } catch (error) {
      if (error instanceof OutputLimitError) return this.addDecoded(error.produced)
      throw error
    }
    this.addDecoded(decoded.length)
    const inner = new PdfBudgetScanner(this.budgets, true, this)
    await inner.push(decoded)
    await inner.end()
  }
}

/** Scans a whole PDF from its chunks (see PdfBudgetScanner); throws BudgetExceededError. */
export async function scanPdfBudget(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  budgets: FileBudgets,
): Promise<PdfScanReport> {
  const scanner = new PdfBudgetScanner(budgets)
  for await (const chunk of chunks) await scanner.push(chunk)
  return scanner.end()
}
