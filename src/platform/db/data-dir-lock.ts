import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * PGlite does not lock its data directory, and a second process opening it silently loses writes.
 * This lock file (created with O_EXCL, holding the owner's pid) makes the embedded mode single-process:
 * a second opener is refused with a message naming the holder. A lock left by a dead process is taken over.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database in ${path.dirname(lockFile)} is in use by process ${holder.pid} ` +
        `(${holder.command}, started ${holder.startedAt} on ${holder.host}). ` +
        'Stop that process first, or run several processes against PostgreSQL (DATABASE_URL).',
    )
    this.name = 'DataDirLockedError'
  }
}

interface LockHolder {
  pid: number
  host: string
  command: string
  startedAt: string
}

export interface DataDirLock {
  release(): void
}

export function acquireDataDirLock(dir: string, command = process.argv.slice(1).join(' ')): DataDirLock {
  mkdirSync(dir, { recursive: true })
  const lockFile = path.join(dir, 'vanthu.lock')
  const me: LockHolder = { pid: process.pid, host: os.hostname(), command, startedAt: new Date().toISOString() }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx')
      writeSync(fd, JSON.stringify(me))
      closeSync(fd)
      let released = false
      return {
        release() {
          if (released) return
          released = true
          try {
            if (readHolder(lockFile)?.pid === process.pid) unlinkSync(lockFile)
          } catch {
            // already gone
          }
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = readHolder(lockFile)
      if (holder && holder.host === me.host && isAlive(holder.pid)) throw new DataDirLockedError(lockFile, holder)
      if (holder && holder.host !== me.host) throw new DataDirLockedError(lockFile, holder)
      // Stale: its process is gone (crash, kill -9). Remove and retry once.
      unlinkSync(lockFile)
    }
  }
  throw new Error(`Could not take the lock ${lockFile}`)
}

function readHolder(lockFile: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(lockFile, 'utf8')) as LockHolder
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
