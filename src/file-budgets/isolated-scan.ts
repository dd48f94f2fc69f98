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
 * Scans a PDF against the budgets in a worker thread with its own capped heap and a time limit, pulling
 * the file's chunks one at a time (the caller streams them from storage: the file is never held whole).
 * A file that would blow the scan up kills the thread, not the process: it is refused as
 * 'scan-exhausted'. Throws BudgetExceededError when a budget is passed; resolves to the scan's report.
 */
export async function scanPdfIsolated(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  budgets: FileBudgets,
): Promise<PdfScanReport> {
  const options = {
    workerData: { budgets },
    resourceLimits: { maxOldGenerationSizeMb: budgets.scanHeapMb, maxYoungGenerationSizeMb: 32 },
  }
  const worker = fromSource
    ? new Worker(SOURCE_BOOTSTRAP, { ...options, eval: true })
    : new Worker(WORKER_URL, options)
  const iterator = (async function* () {
    yield* chunks
  })()
  let timer: NodeJS.Timeout | undefined
  try {
    return await new Promise<PdfScanReport>((resolve, reject) => {
      timer = setTimeout(
        () => reject(exhausted(`The scan took longer than ${Math.round(budgets.scanMs / 1000)} s.`)),
        budgets.scanMs,
      )
      worker.on('error', (error: Error & { code?: string }) =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? exhausted(`The scan needed more than ${budgets.scanHeapMb} MB of heap.`)
            : error,
        ),
      )
      worker.on('exit', (code) => reject(new Error(`The file scan stopped (exit code ${code}).`)))
      worker.on('message', (message: FromScanner) => {
        if ('done' in message) resolve(message.done)
        else if ('refused' in message)
          reject(new BudgetExceededError(message.refused.code, message.refused.message))
        else if ('failed' in message) reject(new Error(`The file scan failed: ${message.failed}`))
        else
          iterator
            .next()
            .then(({ done, value }) => post(worker, done ? { end: true } : { chunk: value }), reject)
      })
    })
  } finally {
    clearTimeout(timer)
    // Not awaited: a source stuck in a read (the time limit's case) would hold the caller as long.
    iterator.return?.()?.catch(() => undefined)
    await worker.terminate()
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
