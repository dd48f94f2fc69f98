import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ForegroundActivity } from '../../src/platform/http/foreground-activity.ts'
import { JobQueue } from '../../src/platform/jobs/job-queue.ts'
import { pgliteDriver, type TestDatabase } from '../helpers/databases.ts'

/** Job workers in the API process give way to write requests (issue 13: registration throughput). */
describe('foreground first', () => {
  const foreground = new ForegroundActivity()
  const app = Fastify()
  let release!: () => void
  let arrived!: () => void
  foreground.track(app)
  app.post('/slow', async () => {
    arrived()
    await new Promise<void>((resolve) => {
      release = resolve
    })
    return { ok: true }
  })
  app.get('/poll', async () => ({ ok: true }))
  let baseUrl = ''
  beforeAll(async () => {
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(() => app.close())

  it('GIVEN no request yet WHEN a job asks THEN it runs at once', async () => {
    expect(await foreground.quiet({ quietMs: 200 })).toBeLessThan(100)
  })

  it('GIVEN a write request in flight WHEN a job asks THEN it waits for the answer and the lull after it', async () => {
    const inside = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const answer = fetch(`${baseUrl}/slow`, { method: 'POST' })
    await inside
    expect(foreground.busy).toBe(true)
    let ran = false
    const job = foreground.quiet({ quietMs: 150, maxWaitMs: 10_000, pollMs: 10 }).then(() => {
      ran = true
    })
    // Reads (a page polling for progress) do not hold jobs back, and do not end the write.
    for (let i = 0; i < 3; i++) expect((await fetch(`${baseUrl}/poll`)).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(ran, 'the job ran while the write was in flight').toBe(false)
    const answeredAt = performance.now()
    release()
    expect((await answer).status).toBe(200)
    await job
    expect(foreground.busy).toBe(false)
    expect(performance.now() - answeredAt).toBeGreaterThanOrEqual(140)
  })

  it('GIVEN writes that never stop WHEN a job asks THEN it waits at most maxWaitMs, and not at all once the queue stops', async () => {
    const inside = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const answer = fetch(`${baseUrl}/slow`, { method: 'POST' })
    await inside
    const waited = await foreground.quiet({ quietMs: 50, maxWaitMs: 300, pollMs: 10 })
    expect(waited).toBeGreaterThanOrEqual(290)
    expect(waited).toBeLessThan(3_000)
    const stopping = new AbortController()
    stopping.abort()
    expect(await foreground.quiet({ maxWaitMs: 10_000, signal: stopping.signal })).toBeLessThan(100)
    release()
    await answer
  })
})

describe('a job queue that gives way', () => {
  let testDb: TestDatabase
  let queue: JobQueue
  const ran: string[] = []
  let open!: () => void
  const gate = new Promise<void>((resolve) => {
    open = resolve
  })
  beforeAll(async () => {
    testDb = await pgliteDriver.open()
    queue = new JobQueue(testDb.database)
    queue.define<{ key: string }>({
      name: 'test.background',
      async handler({ key }) {
        ran.push(key)
      },
    })
    queue.giveWay = () => gate
    await queue.start({ work: true })
  })
  afterAll(async () => {
    open()
    await queue?.stop()
    await testDb?.dispose()
  })

  it('GIVEN giveWay pending WHEN a job is fetched THEN its handler waits for it, then runs', async () => {
    await queue.send('test.background', { key: 'first' })
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    expect(ran).toEqual([])
    open()
    for (let i = 0; i < 100 && ran.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(ran).toEqual(['first'])
  })
})
