import pino from 'pino'
import { defineJobs } from './jobs.ts'
import { ConfigError, loadConfig, loadDotEnv } from './platform/config.ts'
import { DataDirLockedError } from './platform/db/data-dir-lock.ts'
import { openPlatform } from './platform/platform.ts'
import { installShutdown } from './platform/shutdown.ts'

/**
 * `npm run worker`: a process that only runs jobs, for deployments on PostgreSQL that scale API and
 * workers separately (set WORKERS_IN_PROCESS=false on the API processes).
 */
async function main(): Promise<void> {
  loadDotEnv()
  const config = loadConfig()
  const log = pino({ level: config.logLevel, base: { role: 'worker' } })
  if (!config.databaseUrl) {
    log.warn('no DATABASE_URL: this worker holds the embedded database, so `npm start` cannot run beside it')
  }
  const platform = await openPlatform(config)
  platform.jobs.onError = (error) => log.error({ err: error }, 'job queue error')
  platform.jobs.onOrphansRetried = (jobs) =>
    log.warn({ jobs: jobs.map((job) => `${job.name} ${job.id}`) }, 'jobs left by a stopped process were handed back to the queue')
  defineJobs(platform)
  await platform.jobs.start({ work: true })
  log.info({ database: platform.database.kind, storage: config.storage.driver }, 'vanthu worker ready')
  installShutdown(() => platform.close(), log)
}

main().catch((error) => {
  const known = error instanceof ConfigError || error instanceof DataDirLockedError
  console.error(known ? `vanthu worker: ${error.message}` : 'vanthu worker: failed to start', known ? '' : error)
  process.exit(1)
})
