import { ConfigError, loadConfig, loadDotEnv } from './platform/config.ts'
import { DataDirLockedError } from './platform/db/data-dir-lock.ts'
import { ForegroundActivity } from './platform/http/foreground-activity.ts'
import { openPlatform } from './platform/platform.ts'
import { installShutdown } from './platform/shutdown.ts'

/** `npm start`: the API, and (by default) the job workers, in one process. */
async function main(): Promise<void> {
  loadDotEnv()
  const config = loadConfig()
  // The application's modules (a few hundred files) load while the database starts: PGlite compiles its
  // WebAssembly off the main thread, so the two overlap instead of adding up (issue 11: start-up time).
  const [platform, { buildApp }, { adminPasswordNotice, bootstrapAdmin }, { defineJobs }] = await Promise.all([
    openPlatform(config),
    import('./app.ts'),
    import('./organisation/bootstrap.ts'),
    import('./jobs.ts'),
  ])
  // Workers in this process give way to write requests: a burst of registrations is answered first,
  // and the jobs it queued run in the lull after it (or after 15 s each, whatever the load).
  const foreground = config.workersInProcess ? new ForegroundActivity() : undefined
  const app = await buildApp({ platform, foreground })
  if (foreground) platform.jobs.giveWay = (stopping) => foreground.quiet({ signal: stopping })
  const bootstrap = await bootstrapAdmin(platform.database, config.auth.adminPassword)
  if (bootstrap.generatedPassword) {
    app.log.warn(
      `First start: created the account "admin" with the password ${bootstrap.generatedPassword} — ` +
        'sign in and change it now (Lần đầu khởi động: đã tạo tài khoản "admin", hãy đổi mật khẩu ngay).',
    )
  } else if (bootstrap.created) {
    app.log.info('First start: created the account "admin" with the password from VANTHU_ADMIN_PASSWORD')
  }
  const adminNotice = adminPasswordNotice(bootstrap)
  if (adminNotice) app.log.warn(adminNotice)
  platform.jobs.onError = (error) => app.log.error({ err: error }, 'job queue error')
  platform.jobs.onOrphansRetried = (jobs) =>
    app.log.warn({ jobs: jobs.map((job) => `${job.name} ${job.id}`) }, 'jobs left by a stopped process were handed back to the queue')
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
