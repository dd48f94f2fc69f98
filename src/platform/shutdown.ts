interface ShutdownLog {
  info(message: string): void
  warn(details: unknown, message: string): void
  error(details: unknown, message: string): void
}

let stage = 'running'

/** Records how far shutdown got, so a slow one can say where it waits. */
export function shutdownStage(name: string): void {
  stage = name
}

const SLOW_AFTER_MS = 15_000
const FORCED_AFTER_MS = 60_000

/** On SIGTERM/SIGINT: stop accepting, finish in-flight requests and jobs, close, exit. */
export function installShutdown(close: () => Promise<unknown>, log: ShutdownLog): void {
  let closing = false
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return
      closing = true
      shutdownStage('finishing requests')
      log.info(`${signal} received: shutting down`)
      const slow = setTimeout(() => {
        log.warn({ stage, resources: process.getActiveResourcesInfo() }, 'shutdown is slow')
      }, SLOW_AFTER_MS)
      const forced = setTimeout(() => {
        log.error({ stage }, 'shutdown took too long: exiting')
        process.exit(1)
      }, FORCED_AFTER_MS)
      slow.unref()
      forced.unref()
      close().then(
        () => process.exit(0),
        (error) => {
          log.error({ err: error, stage }, 'shutdown failed')
          process.exit(1)
        },
      )
    })
  }
}
