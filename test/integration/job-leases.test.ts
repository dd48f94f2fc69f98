import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { JobQueue, type JobView } from '../../src/platform/jobs/job-queue.ts'
import { DRIVERS, type TestDatabase } from '../helpers/databases.ts'

const FAST = { heartbeatMs: 200, staleAfterMs: 1_500, sweepMs: 300, graceMs: 500 }

/**
 * Work caught by a crash: a job that was running in a process that died (kill -9, power cut) must be
 * retried within a minute, not after its expiry (an hour for text extraction).
 */
describe.each(DRIVERS)('jobs held by a dead process on $name', (driver) => {
  let testDb: TestDatabase | undefined
  const queues: JobQueue[] = []
  const runs: string[] = []

  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.stop(2_000)
  })
  afterAll(async () => testDb?.dispose())

  async function workerProcess(): Promise<JobQueue> {
    testDb ??= await driver.open()
    const queue = new JobQueue(testDb.database, { leases: FAST })
    queue.define<{ key: string }>({
      name: 'test.long',
      retryLimit: 3,
      retryDelaySeconds: 1,
      retryBackoff: false,
      expireInSeconds: 3600,
      async handler({ key }) {
        runs.push(key)
        return { key }
      },
    })
    queues.push(queue)
    return queue
  }

  /** The job as a process that then died leaves it: active since a while, held by a silent worker. */
  async function abandon(queue: JobQueue, key: string, holder: { host: string; pid: number; silentFor: string }) {
    const id = await queue.send('test.long', { key })
    const workerId = `${holder.host}:${holder.pid}:dead`
    await testDb!.database.executeSql(
      `update pgboss.job set state = 'active', started_on = now() - interval '10 minutes' where id = $1`,
      [id],
    )
    await testDb!.database.executeSql(
      `insert into job_workers (id, host, pid, beat_at) values ($1, $2, $3, now() - $4::interval) on conflict (id) do update set beat_at = excluded.beat_at`,
      [workerId, holder.host, holder.pid, holder.silentFor],
    )
    await testDb!.database.executeSql(`insert into job_leases (job_id, queue, worker_id) values ($1, 'test.long', $2)`, [id, workerId])
    return id
  }

  async function waitFor(queue: JobQueue, id: string, state: JobView['state'], timeoutMs: number) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const job = await queue.get(id)
      if (job?.state === state) return job
      if (Date.now() > deadline) throw new Error(`job ${id} is ${job?.state}, not ${state}, after ${timeoutMs} ms`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a job left active by a process that died WHEN a worker (re)starts THEN the job is retried and completes within seconds, not after its hour of expiry', async () => {
      const before = await workerProcess()
      await before.start({ work: false })
      const id = await abandon(before, 'after-crash', { host: 'gone-container', pid: 4242, silentFor: '5 minutes' })
      const restarted = await workerProcess()
      const started = Date.now()
      await restarted.start({ work: true })
      const job = await waitFor(restarted, id, 'completed', 20_000)
      expect(Date.now() - started).toBeLessThan(20_000)
      expect(job.attempts).toBeGreaterThanOrEqual(2)
      expect(runs).toContain('after-crash')
    })
  })

  describe.skipIf(!driver.available || driver.name !== 'postgres')('(several processes on PostgreSQL)', () => {
    it('GIVEN a running worker WHEN another process holding a job goes silent THEN the sweep retries it; a job whose holder still beats is left alone', async () => {
      const worker = await workerProcess()
      await worker.start({ work: true })
      const alive = await abandon(worker, 'held-by-a-live-process', { host: 'busy-host', pid: 7, silentFor: '0 seconds' })
      await testDb!.database.executeSql(`update job_workers set beat_at = now() + interval '1 hour' where id = 'busy-host:7:dead'`)
      const dead = await abandon(worker, 'held-by-a-dead-process', { host: 'other-host', pid: 9, silentFor: '0 seconds' })
      // The dead holder never beats again: after staleAfterMs its job is free.
      await waitFor(worker, dead, 'completed', 20_000)
      expect((await worker.get(alive))?.state).toBe('active')
    })

    it('GIVEN a holder on this host whose pid is gone WHEN the sweep looks THEN its job is retried without waiting for the heartbeat to go stale', async () => {
      const worker = await workerProcess()
      await worker.start({ work: true })
      const { hostname } = await import('node:os')
      const id = await abandon(worker, 'pid-gone', { host: hostname(), pid: 2 ** 22 - 1, silentFor: '0 seconds' })
      await testDb!.database.executeSql(`update job_workers set beat_at = now() + interval '1 hour' where pid = $1`, [2 ** 22 - 1])
      await waitFor(worker, id, 'completed', 10_000)
    })
  })
})
