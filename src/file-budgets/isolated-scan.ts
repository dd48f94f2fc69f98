import { Worker } from 'node:worker_threads'
import { BudgetExceededError, type FileBudgets } from './budgets.ts'
import type { PdfScanReport } from './pdf-budget-scan.ts'
import type { FromScanner, ToScanner } from './scan-worker.ts'

// Compiled (dist) the worker is a .js file beside this one; from source it runs through tsx.
const fromSource = import.meta.url.endsWith('.ts')
const WORKER_URL = new URL(fromSource ? './scan-worker.ts' : './scan-worker.js', import.meta.url)
// Tests and `tsx` scripts: the thread registers the TypeScript loader itself (execArgv --import does not
// reach a worker's module loader on Node 20).
const SOURCE_BOOTSTRAP = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}) })`

/**
 * Starting a thread costs ~100 ms of CPU (a V8 isolate, Node's bootstrap, the scanner's modules) against
 * ~10 ms to scan a 1 MB PDF: threads whose last scan finished wait here for the next file (by heap cap),
 * at most this many, and end after IDLE_MS unused. They hold no state of the files they scanned.
 */
const MAX_IDLE = 2
const IDLE_MS = 30_000

interface IdleThread {
  worker: Worker
  timer: NodeJS.Timeout
}
const idle = new Map<number, IdleThread[]>()

function takeThread(heapMb: number): Worker {
  const waiting = idle.get(heapMb)?.pop()
  if (waiting) {
    clearTimeout(waiting.timer)
    waiting.worker.ref()
    return waiting.worker
  }
  const options = { resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32 } }
  const worker = fromSource
    ? new Worker(SOURCE_BOOTSTRAP, { ...options, eval: true })
    : new Worker(WORKER_URL, options)
  // A scan listens for its own outcome; these keep a thread that fails while idle from failing the process.
  worker.on('error', () => {})
  worker.on('exit', () => forgetIdle(heapMb, worker))
  return worker
}

function forgetIdle(heapMb: number, worker: Worker): void {
  const threads = idle.get(heapMb) ?? []
  const at = threads.findIndex((entry) => entry.worker === worker)
  if (at === -1) return
  clearTimeout(threads[at]!.timer)
  threads.splice(at, 1)
}

/** Keeps a thread whose scan finished for the next file, or ends it when enough are waiting. */
async function returnThread(heapMb: number, worker: Worker): Promise<void> {
  const threads = idle.get(heapMb) ?? []
  if (threads.length >= MAX_IDLE) {
    await worker.terminate()
    return
  }
  // An idle thread never keeps the process alive, and is let go after a while.
  worker.unref()
  const entry: IdleThread = {
    worker,
    timer: setTimeout(() => {
      forgetIdle(heapMb, worker)
      void worker.terminate()
    }, IDLE_MS).unref(),
  }
  threads.push(entry)
  idle.set(heapMb, threads)
}

/**
 * Scans a PDF against the budgets in a worker thread with its own capped heap and a time limit, pulling
 * the file's chunks one at a time (the caller streams them from storage: the file is never held whole).
 * A file that would blow the scan up kills the thread, not the process: it is refused as
 * 'scan-exhausted'. Throws BudgetExceededError when a budget is passed; resolves to the scan's report.
 * Only a thread whose scan finished with a report is used again; any other outcome ends it.
 */
export async function scanPdfIsolated(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  budgets: FileBudgets,
): Promise<PdfScanReport> {
  const worker = takeThread(budgets.scanHeapMb)
  const iterator = (async function* () {
    yield* chunks
  })()
  let timer: NodeJS.Timeout | undefined
  let finished = false
  const listeners: { error?: (error: Error & { code?: string }) => void; exit?: (code: number) => void; message?: (message: FromScanner) => void } = {}
  try {
    const report = await new Promise<PdfScanReport>((resolve, reject) => {
      timer = setTimeout(
        () => reject(exhausted(`The scan took longer than ${Math.round(budgets.scanMs / 1000)} s.`)),
        budgets.scanMs,
      )
      listeners.error = (error) =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? exhausted(`The scan needed more than ${budgets.scanHeapMb} MB of heap.`)
            : error,
        )
      listeners.exit = (code) => reject(new Error(`The file scan stopped (exit code ${code}).`))
      listeners.message = (message) => {
        if ('done' in message) resolve(message.done)
        else if ('refused' in message)
          reject(new BudgetExceededError(message.refused.code, message.refused.message))
        else if ('failed' in message) reject(new Error(`The file scan failed: ${message.failed}`))
        else
          iterator
            .next()
            .then(({ done, value }) => post(worker, done ? { end: true } : { chunk: value }), reject)
      }
      worker.on('error', listeners.error)
      worker.on('exit', listeners.exit)
      worker.on('message', listeners.message)
      post(worker, { start: budgets })
    })
    finished = true
    return report
  } finally {
    clearTimeout(timer)
    // Not awaited: a source stuck in a read (the time limit's case) would hold the caller as long.
    iterator.return?.()?.catch(() => undefined)
    worker.off('error', listeners.error!)
    worker.off('exit', listeners.exit!)
    worker.off('message', listeners.message!)
    if (finished) await returnThread(budgets.scanHeapMb, worker)
    else await worker.terminate()
  }
}

function post(worker: Worker, message: ToScanner): void {
  if ('chunk' in message) {
    // A private copy moves to the thread without a second copy; the storage stream may reuse its buffer.
    const chunk = new Uint8Array(message.chunk)
    worker.postMessage({ chunk }, [chunk.buffer])
  } else worker.postMessage(message)
}

function exhausted(message: string): BudgetExceededError {
  return new BudgetExceededError('scan-exhausted', message)
}
