/**
 * The thread that scans one file (see isolated-scan.ts). It asks for each chunk, so the file is never
 * held here whole, and answers with the report or the budget it passed.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { BudgetExceededError, type FileBudgets } from './budgets.ts'
import { PdfBudgetScanner } from './pdf-budget-scan.ts'

export type ToScanner = { chunk: Uint8Array } | { end: true }
export type FromScanner =
  | { next: true }
  | { done: import('./pdf-budget-scan.ts').PdfScanReport }
  | { refused: { code: BudgetExceededError['code']; message: string } }
  | { failed: string }

const port = parentPort!
const scanner = new PdfBudgetScanner((workerData as { budgets: FileBudgets }).budgets)
const send = (message: FromScanner) => port.postMessage(message)

port.on('message', (message: ToScanner) => {
  const step = 'chunk' in message ? scanner.push(message.chunk) : scanner.end()
  step.then(
    (report) => send(report ? { done: report } : { next: true }),
    (error: unknown) =>
      send(
        error instanceof BudgetExceededError
          ? { refused: { code: error.code, message: error.message } }
          : { failed: String(error) },
      ),
  )
})
send({ next: true })
