import { randomUUID } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * PGlite does not lock its data directory, and a second process opening it silently loses writes. This
 * lock file makes the embedded mode single-process; a second opener is refused with a message naming
 * the holder.
 *
 * Why it cannot be won twice:
 * - the lock file appears with its whole content at once (written to a private file, then hard-linked
 *   to the lock name; link fails if the name exists), so nobody ever reads a half-written lock and
 *   mistakes it for a stale one;
 * - a lock left by a dead process is removed only under a takeover mutex (a directory made with mkdir,
 *   which one process alone can create), and only if it still holds exactly the bytes that were judged
 *   stale (each lock carries a random nonce). The new lock is then linked in as above: if anyone got
 *   there first, the link fails and the loser sees a live holder.
 * A holder is dead when its pid is gone, when the machine was rebooted since (boot id), or when the pid
 * now belongs to a process started at another moment (pid reuse after a container restart). A lock
 * taken on another host cannot be judged from here: the operator takes it over with `npm run db:unlock`.
 */
export const UNLOCK_COMMAND = 'npm run db:unlock'

export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
    readonly verdict: HolderVerdict,
  ) {
    super(lockedMessage(lockFile, holder, verdict))
    this.name = 'DataDirLockedError'
  }
}

export interface LockHolder {
  pid: number
  host: string
  command: string
  startedAt: string
  /** Linux: the kernel's boot id when the lock was taken. */
  bootId?: string
  /** Linux: the holder's start time in clock ticks since boot (tells a reused pid from the holder). */
  startTicks?: number
  /** Random per lock: the exact lock judged stale is the one removed. */
  nonce?: string
}

/** What can be said about the holder of an existing lock from this machine. */
export type HolderVerdict = 'alive' | 'dead' | 'foreign-host' | 'unreadable' | 'takeover-interrupted'

export interface DataDirLock {
  release(): void
}

const LOCK_NAME = 'vanthu.lock'
const MUTEX_NAME = 'vanthu.lock.takeover'
/** A takeover holds its mutex for microseconds; one older than this was cut off by a crash. */
const MUTEX_STALE_MS = 30_000
const ATTEMPTS = 200
/** Locks this process holds (by file), so a second open of one directory in-process is refused too. */
const heldHere = new Map<string, string>()

export function lockFileOf(dir: string): string {
  return path.join(dir, LOCK_NAME)
}

export function acquireDataDirLock(dir: string, command = process.argv.slice(1).join(' ')): DataDirLock {
  mkdirSync(dir, { recursive: true })
  const lockFile = lockFileOf(dir)
  const me = currentProcess(command)
  const mine = JSON.stringify(me)
  const privateFile = `${lockFile}.${process.pid}.${me.nonce}`
  writeFileSync(privateFile, mine, { flag: 'wx' })
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (tryLink(privateFile, lockFile)) return held(lockFile, me.nonce!)
      const seen = readRaw(lockFile)
      if (seen === undefined) continue // released in between: try again
      const holder = parseHolder(seen)
      const verdict = judgeHolder(holder, lockFile)
      if (verdict !== 'dead') throw new DataDirLockedError(lockFile, holder, verdict)
      const outcome = replaceStale(lockFile, seen, privateFile)
      if (outcome === 'taken') return held(lockFile, me.nonce!)
      if (outcome === 'mutex-stale') throw new DataDirLockedError(lockFile, holder, 'takeover-interrupted')
      pause(5 + Math.random() * 20)
    }
    throw new Error(`Could not take the lock ${lockFile} after ${ATTEMPTS} attempts`)
  } finally {
    unlinkQuietly(privateFile)
  }
}

/** The lock's holder and what can be said of it from here; undefined when there is no lock. */
export function inspectDataDirLock(dir: string): { holder: LockHolder | undefined; verdict: HolderVerdict } | undefined {
  const lockFile = lockFileOf(dir)
  const seen = readRaw(lockFile)
  if (seen === undefined) return undefined
  const holder = parseHolder(seen)
  return { holder, verdict: judgeHolder(holder, lockFile) }
}

/**
 * The operator's takeover (`npm run db:unlock`): removes a lock whose holder is dead, or, with `force`,
 * one taken on another host or unreadable, and a takeover mutex left by a crash. A live holder on this
 * machine is never removed. Answers what was removed.
 */
export function breakDataDirLock(dir: string, { force }: { force: boolean }): { removed: boolean; holder?: LockHolder; verdict?: HolderVerdict } {
  const lockFile = lockFileOf(dir)
  const mutex = path.join(dir, MUTEX_NAME)
  const seen = readRaw(lockFile)
  if (seen === undefined) {
    rmdirQuietly(mutex)
    return { removed: false }
  }
  const holder = parseHolder(seen)
  const verdict = judgeHolder(holder, lockFile)
  if (verdict === 'alive') throw new DataDirLockedError(lockFile, holder, 'alive')
  if (verdict !== 'dead' && !force) throw new DataDirLockedError(lockFile, holder, verdict)
  rmdirQuietly(mutex)
  // Same rule as a takeover: only the bytes judged removable are removed.
  if (readRaw(lockFile) === seen) unlinkQuietly(lockFile)
  return { removed: true, verdict, ...(holder ? { holder } : {}) }
}

function held(lockFile: string, nonce: string): DataDirLock {
  heldHere.set(lockFile, nonce)
  let released = false
  return {
    release() {
      if (released) return
      released = true
      heldHere.delete(lockFile)
      const seen = readRaw(lockFile)
      if (seen !== undefined && parseHolder(seen)?.nonce === nonce) unlinkQuietly(lockFile)
    },
  }
}

/** Removes the stale lock (exactly `seen`) and links ours in its place, under the takeover mutex. */
function replaceStale(lockFile: string, seen: string, privateFile: string): 'taken' | 'lost' | 'mutex-stale' {
  const mutex = path.join(path.dirname(lockFile), MUTEX_NAME)
  try {
    mkdirSync(mutex)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    const age = mutexAge(mutex)
    return age !== undefined && age > MUTEX_STALE_MS ? 'mutex-stale' : 'lost'
  }
  try {
    if (readRaw(lockFile) !== seen) return 'lost'
    unlinkQuietly(lockFile)
    return tryLink(privateFile, lockFile) ? 'taken' : 'lost'
  } finally {
    rmdirQuietly(mutex)
  }
}

function judgeHolder(holder: LockHolder | undefined, lockFile: string): HolderVerdict {
  if (!holder || !Number.isInteger(holder.pid) || typeof holder.host !== 'string') return 'unreadable'
  if (holder.host !== os.hostname()) return 'foreign-host'
  const bootId = readBootId()
  if (holder.bootId && bootId && holder.bootId !== bootId) return 'dead'
  if (holder.pid === process.pid) {
    // Ours only if this very process holds it; otherwise a previous process had our pid (a restart).
    return holder.nonce !== undefined && heldHere.get(lockFile) === holder.nonce ? 'alive' : 'dead'
  }
  if (!isAlive(holder.pid)) return 'dead'
  const ticks = readStartTicks(holder.pid)
  if (holder.startTicks !== undefined && ticks !== undefined && ticks !== holder.startTicks) return 'dead'
  return 'alive'
}

function currentProcess(command: string): LockHolder {
  const bootId = readBootId()
  const startTicks = readStartTicks(process.pid)
  return {
    pid: process.pid,
    host: os.hostname(),
    command,
    startedAt: new Date().toISOString(),
    ...(bootId ? { bootId } : {}),
    ...(startTicks !== undefined ? { startTicks } : {}),
    nonce: randomUUID(),
  }
}

function lockedMessage(lockFile: string, holder: LockHolder | undefined, verdict: HolderVerdict): string {
  const where = `The embedded database in ${path.dirname(lockFile)}`
  const who = holder ? `process ${holder.pid} (${holder.command}, started ${holder.startedAt} on ${holder.host})` : 'an unknown process'
  switch (verdict) {
    case 'foreign-host':
      return (
        `${where} is in use by ${who}, another machine. If no vanthu process runs there any more ` +
        `(a replaced container or server), take the lock over with: ${UNLOCK_COMMAND} -- --force`
      )
    case 'unreadable':
      return `${where} has a lock file that cannot be read (${lockFile}). If no vanthu process uses it, take it over with: ${UNLOCK_COMMAND} -- --force`
    case 'takeover-interrupted':
      return `${where}: an earlier start was interrupted while taking over a stale lock. Take it over with: ${UNLOCK_COMMAND}`
    default:
      return (
        `${where} is in use by ${who}. ` +
        'Stop that process first, or run several processes against PostgreSQL (DATABASE_URL).'
      )
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

function readRaw(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const value = JSON.parse(raw) as LockHolder
    return value && typeof value === 'object' ? value : undefined
  } catch {
    return undefined
  }
}

function mutexAge(mutex: string): number | undefined {
  try {
    return Date.now() - statSync(mutex).mtimeMs
  } catch {
    return undefined
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file)
  } catch {
    // already gone
  }
}

function rmdirQuietly(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // already gone
  }
}

/** A synchronous pause: the lock is taken before anything asynchronous starts. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command, which may hold spaces). */
function readStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[19])
    return Number.isFinite(ticks) ? ticks : undefined
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
