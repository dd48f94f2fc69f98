/**
 * The thread that scans files (see isolated-scan.ts), one at a time: each scan starts with the budgets
 * to hold it to, then asks for each chunk, so a file is never held here whole, and answers with the
 * report or the budget it passed. A thread is reused for the next file only after a scan that finished.
 */
import { parentPort } from 'node:worker_threads'
import { BudgetExceededError, type FileBudgets } from './budgets.ts'
import { PdfBudgetScanner } from './pdf-budget-scan.ts'

export type ToScanner = { start: FileBudgets } | { chunk: Uint8Array } | { end: true }
export type FromScanner =
  | { next: true }
  | { done: import('./pdf-budget-scan.ts').PdfScanReport }
  | { refused: { code: BudgetExceededError['code']; message: string } }
  | { failed: string }

const port = parentPort!
let scanner: PdfBudgetScanner | undefined
const send = (message: FromScanner) => port.postMessage(message)

port.on('message', (message: ToScanner) => {
  if ('start' in message) {
    scanner = new PdfBudgetScanner(message.start)
    send({ next: true })
    return
  }
  const current = scanner
  if (!current) {
    send({ failed: 'A chunk came before the scan started.' })
    return
  }
  const step = 'chunk' in message ? current.push(message.chunk) : current.end()
  step.then(
    (report) => {
      if (report) scanner = undefined
      send(report ? { done: report } : { next: true })
    },
    (error: unknown) =>
      send(
        error instanceof BudgetExceededError
          ? { refused: { code: error.code, message: error.message } }
          : { failed: String(error) },
      ),
  )
})
