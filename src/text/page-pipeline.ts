import { throwIfAborted } from './errors.ts'

/** Pages read while the current one is finished: with two OCR workers, a scan's pages go two at a time. */
export const PAGES_AHEAD = 1

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown }

/**
 * Runs `read` for pages 0..count-1, starting up to `ahead` pages before the one being delivered, and
 * hands results to `deliver` strictly in page order. The first failure (in page order) is thrown; the
 * signal is checked before each page is started and before each is delivered. Pages already started
 * when it stops finish on their own and their results are dropped (never an unhandled rejection).
 */
export async function inPageOrder<T>(
  count: number,
  read: (index: number) => Promise<T>,
  deliver: (index: number, value: T) => Promise<void>,
  signal: AbortSignal | undefined,
  ahead = PAGES_AHEAD,
): Promise<void> {
  const started: Promise<Settled<T>>[] = []
  let next = 0
  for (let index = 0; index < count; index++) {
    throwIfAborted(signal)
    for (; next < count && next <= index + ahead; next++) {
      throwIfAborted(signal)
      started[next] = read(next).then(
        (value) => ({ ok: true, value }),
        (error: unknown) => ({ ok: false, error }),
      )
    }
    const outcome = await started[index]!
    delete started[index]
    if (!outcome.ok) throw outcome.error
    throwIfAborted(signal)
    await deliver(index, outcome.value)
  }
}
