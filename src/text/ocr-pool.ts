import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { createScheduler, createWorker, OEM, type Worker } from 'tesseract.js'
import { OcrUnavailableError } from './errors.ts'
import { prepareLanguageDir } from './ocr-languages.ts'

export { OcrUnavailableError }

/** A word as tesseract read it, in image pixels; `baseline` is the line's baseline at the word. */
export interface OcrWord {
  text: string
  x0: number
  x1: number
  /** Top and bottom of the word's box. */
  y0: number
  y1: number
  baseline: number
  /** The line's height (ascenders to descenders): the unit the layout thresholds are measured in. */
  lineHeight: number
  confidence: number
}

export interface OcrPageResult {
  text: string
  /** Mean word confidence, 0–100. */
  confidence: number
  words: OcrWord[]
  /** Median slope of the text lines (dy/dx): scans are a little rotated. */
  skew: number
  /** A text-only PDF page (invisible text at the image's positions), when asked for. */
  pdf: Uint8Array | null
}

export interface OcrRequest {
  /** PNG or JPEG bytes. */
  image: Uint8Array
  /** Also produce a text-only PDF page for a searchable rendition. */
  pdf?: boolean
  /** Read only this part of the image (pixels); word boxes stay in whole-image coordinates. */
  rectangle?: { left: number; top: number; width: number; height: number }
}

/**
 * A pool of tesseract.js workers (vie+eng) behind one queue. Contract: `recognize` runs on the next free
 * worker and rejects with an Error when OCR fails (it never hangs on missing language data: worker
 * creation is timed); `close` terminates every worker, and later calls reject.
 */
export interface OcrPool {
  recognize(request: OcrRequest): Promise<OcrPageResult>
  close(): Promise<void>
}

export interface OcrPoolOptions {
  /** Default: one per available core, at least 1. */
  workers?: number
  /** A worker is replaced after this many pages: tesseract's WASM heap only grows. */
  recyclePages?: number
  /** A worker that has not loaded its language data by then counts as failed. */
  createTimeoutMs?: number
  /** Override for tests: where the vie/eng .traineddata.gz files are. */
  langDirs?: { vie: string; eng: string }
}

const DEFAULT_RECYCLE_PAGES = 200
const DEFAULT_CREATE_TIMEOUT_MS = 60_000
const LANGUAGES = 'vie+eng'

/** Each language package ships its own directory; tesseract.js reads all languages from one. */
export function packagedLanguageDirs(): { vie: string; eng: string } {
  const require = createRequire(import.meta.url)
  const dir = (code: string) => path.dirname(require.resolve(`@tesseract.js-data/${code}/package.json`))
  return { vie: path.join(dir('vie'), '4.0.0_best_int'), eng: path.join(dir('eng'), '4.0.0_best_int') }
}

export function createOcrPool(options: OcrPoolOptions = {}): OcrPool {
  const size = Math.max(1, options.workers ?? os.availableParallelism?.() ?? os.cpus().length)
  const recycleAfter = Math.max(1, options.recyclePages ?? DEFAULT_RECYCLE_PAGES)
  const timeoutMs = options.createTimeoutMs ?? DEFAULT_CREATE_TIMEOUT_MS
  const langPath = prepareLanguageDir(options.langDirs ?? packagedLanguageDirs())
  const scheduler = createScheduler()
  let closed = false
  let slots: Slot[] | undefined

  const spawn = () => startWorker(langPath, timeoutMs)
  // Workers start on first use: a process that never OCRs pays nothing.
  const ensureSlots = () => {
    if (slots) return
    slots = Array.from({ length: size }, (_, index) => createSlot(`ocr-${index}`, spawn, recycleAfter))
    for (const slot of slots) scheduler.addWorker(slot.facade as unknown as Worker)
  }

  return {
    async recognize(request) {
      if (closed) throw new OcrUnavailableError('The OCR pool is closed.')
      ensureSlots()
      return (await scheduler.addJob(
        'recognize' as 'recognize',
        request as never,
      )) as unknown as OcrPageResult
    },
    async close() {
      closed = true
      await Promise.all((slots ?? []).map((slot) => slot.terminate()))
    },
  }
}

interface Slot {
  /** What the scheduler sees as a worker: a stable id whose tesseract worker is swapped when recycled. */
  facade: { id: string; recognize(request: OcrRequest): Promise<OcrPageResult>; terminate(): Promise<void> }
  terminate(): Promise<void>
}

function createSlot(id: string, spawn: () => Promise<Worker>, recycleAfter: number): Slot {
  let worker: Promise<Worker> | undefined
  let pages = 0
  const current = () => {
    worker ??= spawn()
    // A failed start is not cached: the next page tries a fresh worker.
    worker.catch(() => {
      worker = undefined
    })
    return worker
  }
  const terminate = async () => {
    const old = worker
    worker = undefined
    pages = 0
    await old?.then((w) => w.terminate()).catch(() => undefined)
  }
  const facade = {
    id,
    async recognize(request: OcrRequest): Promise<OcrPageResult> {
      if (pages >= recycleAfter) await terminate()
      const w = await current()
      pages++
      try {
        return await recognizeWith(w, request)
      } catch (error) {
        // A worker that threw may be in any state: start afresh for the next page.
        await terminate()
        throw error instanceof Error ? error : new Error(String(error))
      }
    },
    terminate,
  }
  return { facade, terminate }
}

/**
 * Options for tesseract.js's createWorker: language data from a local directory (never the CDN, which
 * is its default), gzip as the packages ship it, and no cache (the default copies the data into the
 * working directory and deletes it on a failed start). Worker script and core come from node_modules.
 */
export function workerOptions(langPath: string) {
  return { langPath, gzip: true, cacheMethod: 'none' } as const
}

async function startWorker(langPath: string, timeoutMs: number): Promise<Worker> {
  let timer: NodeJS.Timeout | undefined
  let failure: unknown
  const creating = createWorker(LANGUAGES, OEM.LSTM_ONLY, {
    ...workerOptions(langPath),
    // Without a handler a worker error kills the process; with one, creation would never settle.
    errorHandler: (error: unknown) => {
      failure = error
    },
  })
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new OcrUnavailableError(
            `OCR worker did not start in ${timeoutMs} ms: ${String(failure ?? 'no language data?')}`,
          ),
        ),
      timeoutMs,
    )
  })
  try {
    return await Promise.race([creating, timeout])
  } catch (error) {
    // If it ever finishes starting, do not leave it running.
    creating.then((w) => w.terminate()).catch(() => undefined)
    throw error instanceof OcrUnavailableError ? error : new OcrUnavailableError(String(error))
  } finally {
    clearTimeout(timer)
  }
}

async function recognizeWith(worker: Worker, request: OcrRequest): Promise<OcrPageResult> {
  const { data } = await worker.recognize(
    Buffer.from(request.image.buffer, request.image.byteOffset, request.image.byteLength),
    {
      ...(request.pdf ? { pdfTextOnly: true } : {}),
      ...(request.rectangle ? { rectangle: request.rectangle } : {}),
    },
    { text: true, blocks: true, pdf: request.pdf === true },
  )
  const words: OcrWord[] = []
  const slopes: number[] = []
  for (const block of data.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const { x0, y0, x1, y1 } = line.baseline
        const slope = x1 === x0 ? 0 : (y1 - y0) / (x1 - x0)
        // Long lines give the page's skew; short ones (a page number) are too noisy.
        if (x1 - x0 > line.bbox.y1 - line.bbox.y0 + 200) slopes.push(slope)
        const lineHeight = line.rowAttributes?.rowHeight || line.bbox.y1 - line.bbox.y0
        for (const word of line.words) {
          if (word.text.trim() === '') continue
          const middle = (word.bbox.x0 + word.bbox.x1) / 2
          words.push({
            text: word.text.normalize('NFC'),
            x0: word.bbox.x0,
            x1: word.bbox.x1,
            y0: word.bbox.y0,
            y1: word.bbox.y1,
            baseline: y0 + slope * (middle - x0),
            lineHeight,
            confidence: word.confidence,
          })
        }
      }
    }
  }
  const pdf = data.pdf ? new Uint8Array(data.pdf) : null
  slopes.sort((a, b) => a - b)
  const skew = slopes[Math.floor(slopes.length / 2)] ?? 0
  return { text: (data.text ?? '').normalize('NFC'), confidence: data.confidence ?? 0, words, skew, pdf }
}
