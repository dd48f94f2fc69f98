import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JobQueue, type JobView } from '../../src/platform/jobs/job-queue.ts'
import { DRIVERS, pgliteDriver, type TestDatabase } from '../helpers/databases.ts'

describe.each(DRIVERS)('job queue on $name', (driver) => {
  let testDb: TestDatabase
  let queue: JobQueue
  const attempts = new Map<string, number>()

  beforeAll(async () => {
    if (!driver.available) return
    testDb = await driver.open()
    queue = new JobQueue(testDb.database)
    queue.define<{ key: string; failTimes: number }>({
      name: 'test.flaky',
      retryLimit: 3,
      retryDelaySeconds: 1,
      retryBackoff: false,
      async handler({ key, failTimes }, context) {
        const attempt = (attempts.get(key) ?? 0) + 1
        attempts.set(key, attempt)
        await context.reportProgress(attempt, failTimes + 1, `attempt ${attempt}`)
        if (attempt <= failTimes) throw new Error(`boom ${attempt}`)
        return { attempt }
      },
    })
    await queue.start({ work: true })
  })
  afterAll(async () => {
    await queue?.stop()
    await testDb?.dispose()
  })

  async function waitFor(id: string, states: JobView['state'][]): Promise<JobView> {
    for (let i = 0; i < 200; i++) {
      const job = await queue.get(id)
      if (job && states.includes(job.state)) return job
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`job ${id} never reached ${states.join('/')}: ${JSON.stringify(await queue.get(id))}`)
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a job that fails twice WHEN retried THEN it completes on the third attempt with its progress', async () => {
      const id = await queue.send('test.flaky', { key: 'twice', failTimes: 2 })
      const job = await waitFor(id, ['completed', 'failed'])
      expect(job).toMatchObject({
        state: 'completed',
        output: { attempt: 3 },
        progress: { done: 3, total: 3, message: 'attempt 3' },
      })
      expect(attempts.get('twice')).toBe(3)
    })

    it('GIVEN a job that always fails WHEN its retries are used up THEN it is dead and listed with its error', async () => {
      const id = await queue.send('test.flaky', { key: 'always', failTimes: 99 })
      const job = await waitFor(id, ['failed'])
      expect(attempts.get('always')).toBe(4)
      expect(job.retryLimit).toBe(3)
      expect(JSON.stringify(job.output)).toContain('boom 4')
      const dead = await queue.listFailed()
      expect(dead.map((d) => d.id)).toContain(id)
    })

    it('GIVEN a job sent inside a transaction WHEN the transaction rolls back THEN no job exists', async () => {
      let sentId: string | undefined
      await expect(
        testDb.database.db.transaction(async (tx) => {
          sentId = await queue.send('test.flaky', { key: 'rolled-back', failTimes: 0 }, { executor: tx })
          throw new Error('the change failed')
        }),
      ).rejects.toThrow('the change failed')
      expect(sentId).toBeDefined()
      expect(await queue.get(sentId!)).toBeUndefined()
      expect(attempts.has('rolled-back')).toBe(false)
    })

    it('GIVEN a job sent inside a transaction WHEN it commits THEN the job runs', async () => {
      const id = await testDb.database.db.transaction((tx) =>
        queue.send('test.flaky', { key: 'committed', failTimes: 0 }, { executor: tx }),
      )
      expect((await waitFor(id, ['completed'])).state).toBe('completed')
    })

    it('GIVEN jobs batched in a transaction WHEN it commits THEN each is queued under the id the batch gave, with its priority, and runs', async () => {
      const ids = await testDb.database.db.transaction(async (tx) => {
        const batch = queue.batch(tx)
        const first = await batch.send('test.flaky', { key: 'batched-1', failTimes: 0 }, { priority: 7 })
        const second = await batch.send('test.flaky', { key: 'batched-2', failTimes: 0 })
        await batch.flush()
        return [first, second]
      })
      const rows = await testDb.database.executeSql('select id, priority, retry_limit from pgboss.job where id = any($1::uuid[]) order by priority desc', [ids])
      expect(rows.rows.map((row) => [row.id, row.priority, row.retry_limit])).toEqual([
        [ids[0], 7, 3],
        [ids[1], 0, 3],
      ])
      for (const id of ids) expect((await waitFor(id!, ['completed'])).state).toBe('completed')
    })

    it('GIVEN a batch WHEN its transaction rolls back after the flush THEN none of its jobs exists', async () => {
      let id: string | undefined
      await expect(
        testDb.database.db.transaction(async (tx) => {
          const batch = queue.batch(tx)
          id = await batch.send('test.flaky', { key: 'batched-rolled-back', failTimes: 0 })
          await batch.flush()
          throw new Error('the change failed')
        }),
      ).rejects.toThrow('the change failed')
      expect(await queue.get(id!)).toBeUndefined()
      await expect(testDb.database.db.transaction((tx) => queue.batch(tx).send('test.unknown', {}))).rejects.toThrow('Unknown job test.unknown')
    })

    it('GIVEN an unknown job name or id WHEN used THEN sending throws and reading finds nothing', async () => {
      await expect(queue.send('test.unknown', {})).rejects.toThrow('Unknown job test.unknown')
      expect(await queue.get('00000000-0000-4000-8000-000000000000')).toBeUndefined()
      expect(await queue.get('not-an-id')).toBeUndefined()
    })
  })
})

describe('stopping a job queue with a handler still running', () => {
  it('GIVEN a handler that outlives the stop grace WHEN the queue settles THEN the handler finishes its database work before anyone closes the database', async () => {
    const testDb = await pgliteDriver.open()
    const queue = new JobQueue(testDb.database)
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let started!: () => void
    const running = new Promise<void>((resolve) => {
      started = resolve
    })
    let answer: unknown
    queue.define<Record<string, never>>({
      name: 'test.slow',
      async handler() {
        started()
        await gate
        answer = (await testDb.database.executeSql('select 41 + 1 as n', [])).rows[0]
      },
    })
    try {
      await queue.start({ work: true })
      await queue.send('test.slow', {})
      await running
      await queue.stop(100)
      expect(answer, 'the handler is still waiting after stop').toBeUndefined()
      setTimeout(release, 200)
      await queue.settled(5_000)
      expect(answer).toEqual({ n: 42 })
    } finally {
      release()
      await testDb.dispose()
    }
  })
})
