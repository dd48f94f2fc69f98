import { buildApp } from './app.ts'
import { defineJobs } from './jobs.ts'
import { ConfigError, loadConfig, loadDotEnv } from './platform/config.ts'
import { DataDirLockedError } from './platform/db/data-dir-lock.ts'
import { openPlatform } from './platform/platform.ts'
import { installShutdown } from './platform/shutdown.ts'

/** `npm start`: the API, and (by default) the job workers, in one process. */
async function main(): Promise<void> {
  loadDotEnv()
  const config = loadConfig()
  const platform = await openPlatform(config)
  const app = await buildApp({ platform })
  platform.jobs.onError = (error) => app.log.error({ err: error }, 'job queue error')
  defineJobs(platform)
  await platform.jobs.start({ work: config.workersInProcess })
  await app.listen({ port: config.port, host: config.host })
  app.log.info(
    { database: platform.database.kind, storage: config.storage.driver, workers: config.workersInProcess },
    'vanthu ready',
  )
  installShutdown(async () => app.close(), app.log)
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(`vanthu: ${error.message}`)
  } else {
    console.error('vanthu: failed to start', error)
  }
  process.exit(1)
})
