/** On SIGTERM/SIGINT: stop accepting, finish in-flight requests and jobs, close, exit. */
interface ShutdownLog {
  info(message: string): void
  error(details: unknown, message: string): void
}

export function installShutdown(close: () => Promise<unknown>, log: ShutdownLog): void {
  let closing = false
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return
      closing = true
      log.info(`${signal} received: shutting down`)
      const forced = setTimeout(() => {
        log.error({}, 'shutdown took too long: exiting')
        process.exit(1)
      }, 60_000)
      forced.unref()
      close().then(
        () => process.exit(0),
        (error) => {
          log.error({ err: error }, 'shutdown failed')
          process.exit(1)
        },
      )
    })
  }
}

