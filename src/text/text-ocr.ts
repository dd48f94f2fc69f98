import type { OcrPageResult, OcrPool, OcrRequest } from './ocr-pool.ts'

export interface OcrSettings {
  /** Tesseract workers in the pool (each ~75 MB and one core while it reads a page). */
  readonly workers: number
  /** A worker is replaced after this many pages (tesseract's memory only grows). */
  readonly recyclePages: number
}

/**
 * The process's one OCR pool, made on the first page that needs OCR: an API process that runs no jobs,
 * or a worker that only meets born-digital PDFs, never loads tesseract. Closed by Platform.close once
 * the jobs have stopped; a page asked for after that is refused (the job is retried elsewhere).
 */
export class LazyOcrPool implements OcrPool {
  private pool: Promise<OcrPool> | undefined
  private closed = false

  constructor(private readonly settings: OcrSettings) {}

  async recognize(request: OcrRequest): Promise<OcrPageResult> {
    if (this.closed) throw new Error('The OCR pool is closed.')
    this.pool ??= import('./ocr-pool.ts').then(({ createOcrPool }) =>
      createOcrPool({ workers: this.settings.workers, recyclePages: this.settings.recyclePages }),
    )
    return (await this.pool).recognize(request)
  }

  /** Whether a page ever needed OCR in this process. */
  get started(): boolean {
    return this.pool !== undefined
  }

  async close(): Promise<void> {
    this.closed = true
    const pool = this.pool
    this.pool = undefined
    await (await pool?.catch(() => undefined))?.close()
  }

  /** The pool as one job may use it: the job cannot close what the whole process shares. */
  lend(): OcrPool {
    return { recognize: (request) => this.recognize(request), close: async () => {} }
  }
}
