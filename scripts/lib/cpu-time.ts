import { readdirSync, readFileSync } from 'node:fs'
import postgres from 'postgres'

const CLOCK_TICKS_PER_SECOND = 100 // USER_HZ on Linux

/** CPU time (user + system, all threads) a process has used so far, in ms; NaN when it is gone. */
export function processCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND
  } catch {
    return Number.NaN
  }
}

/**
 * CPU time of the PostgreSQL backends serving one database: their pids come from pg_stat_activity (the
 * server runs on this machine), their times from /proc. A backend that exits between two readings takes
 * its time with it, so the figure is a lower bound when connections come and go (the pools keep theirs).
 */
export class PostgresCpu {
  private readonly sql: postgres.Sql
  private readonly database: string

  constructor(url: string) {
    this.sql = postgres(url, { max: 1, onnotice: () => {} })
    this.database = new URL(url).pathname.slice(1)
  }

  /** ms of CPU by backend pid, for the database's backends other than this reader's own. */
  async read(): Promise<Map<number, number>> {
    const rows = await this.sql<{ pid: number }[]>`
      select pid from pg_stat_activity where datname = ${this.database} and pid <> pg_backend_pid()`
    return new Map(rows.map(({ pid }) => [pid, processCpuMs(pid)]).filter(([, ms]) => !Number.isNaN(ms)) as [number, number][])
  }

  /** CPU used between two readings by the backends present at the second (new ones count from 0). */
  static used(before: Map<number, number>, after: Map<number, number>): number {
    let total = 0
    for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0)
    return total
  }

  close(): Promise<void> {
    return this.sql.end({ timeout: 5 })
  }
}

/** Whether PostgreSQL runs on this machine (its backends are readable in /proc): a best guess by host. */
export function postgresIsLocal(url: string): boolean {
  const host = new URL(url).hostname
  return ['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host) && readdirSync('/proc').length > 0
}
