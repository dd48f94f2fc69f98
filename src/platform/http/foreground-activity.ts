/**
 * Foreground first: when the job workers run inside the API process (`npm start`'s default, one
 * machine), a burst of registrations and the text extraction they queue compete for the same cores, and
 * the clerk waits for work nobody is waiting for yet. This counts the requests that change something
 * (POST, PUT, PATCH, DELETE — a page polling for progress does not count) and lets a job wait until none
 * has run for `quietMs`, at most `maxWaitMs` per job, so background work always moves on.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

export interface QuietOptions {
  /** How long no write request must have run. */
  quietMs?: number
  /** The longest a job waits, however busy the API stays. */
  maxWaitMs?: number
  /** How often to look again. */
  pollMs?: number
  /** Stop waiting (the queue is stopping). */
  signal?: AbortSignal
}

export class ForegroundActivity {
  private inFlight = 0
  private lastEnded = Number.NEGATIVE_INFINITY

  /** Counts the write requests of `app`, from their arrival to the end of their answer (or abort). */
  track(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      if (READS.has(request.method)) return
      this.inFlight++
      reply.raw.once('close', () => {
        this.inFlight--
        this.lastEnded = performance.now()
      })
    })
  }

  get busy(): boolean {
    return this.inFlight > 0
  }

  /** Resolves once no write request has run for `quietMs`, or after `maxWaitMs`; answers how long it waited. */
  async quiet({ quietMs = 250, maxWaitMs = 15_000, pollMs = 50, signal }: QuietOptions = {}): Promise<number> {
    const started = performance.now()
    while (this.inFlight > 0 || performance.now() - this.lastEnded < quietMs) {
      if (performance.now() - started >= maxWaitMs || signal?.aborted) break
      await sleep(pollMs)
    }
    return performance.now() - started
  }
}
