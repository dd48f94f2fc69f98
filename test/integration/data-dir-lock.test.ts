import { execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import {
  acquireDataDirLock,
  breakDataDirLock,
  DataDirLockedError,
  inspectDataDirLock,
  lockFileOf,
} from '../../src/platform/db/data-dir-lock.ts'
import { REPO_ROOT } from '../helpers/server-process.ts'

const run = promisify(execFile)
const DEAD_PID = 2 ** 22 - 1
const scratch: string[] = []
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true })
})

async function lockDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `vanthu-lock-${label}-`))
  scratch.push(dir)
  return dir
}

const staleLock = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ pid: DEAD_PID, host: os.hostname(), command: 'old server', startedAt: '2024-01-01T00:00:00.000Z', ...extra })

/**
 * Contenders in separate processes (a lock is per process): each waits for the same instant, tries the
 * lock on a directory holding a stale lock, and says whether it got it, holding it a while.
 */
async function contend(dir: string, contenders: number): Promise<string[]> {
  const module = path.join(REPO_ROOT, 'dist/server/platform/db/data-dir-lock.js')
  const startAt = Date.now() + 2500
  // A winner holds the lock until every contender has answered (its stdin closes): two "got" are two
  // holders at once, not one after the other.
  const code = `
    const { acquireDataDirLock } = await import(${JSON.stringify(module)})
    while (Date.now() < ${startAt}) {}
    try {
      const lock = acquireDataDirLock(${JSON.stringify(dir)}, 'contender')
      process.stdout.write('got')
      process.stdin.on('end', () => lock.release())
      process.stdin.resume()
    } catch (error) {
      process.stdout.write('refused:' + error.name)
    }`
  const children = Array.from({ length: contenders }, () =>
    spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'pipe'] }),
  )
  const closed = children.map((child) => new Promise((resolve) => child.on('close', resolve)))
  const outcomes = await Promise.all(
    children.map(
      (child) =>
        new Promise<string>((resolve) => {
          let out = ''
          child.stdout.once('data', (chunk) => resolve(String(chunk)))
          child.stderr.on('data', (chunk) => {
            out += chunk
          })
          child.on('close', () => resolve(`exited: ${out.trim()}`))
        }),
    ),
  )
  for (const child of children) child.stdin.end()
  await Promise.all(closed)
  return outcomes
}

describe('the embedded data directory lock', () => {
  it('GIVEN a stale lock and ten processes starting at the same instant WHEN each tries to take it THEN exactly one gets it, in every round', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = await lockDir(`race${round}`)
      await writeFile(lockFileOf(dir), staleLock())
      const outcomes = await contend(dir, 10)
      expect({ round, outcomes: outcomes.filter((o) => o === 'got').length, all: outcomes }).toMatchObject({ round, outcomes: 1 })
      expect(outcomes.filter((o) => o !== 'got').every((o) => o === 'refused:DataDirLockedError')).toBe(true)
    }
  }, 120_000)

  it('GIVEN a lock file still being written (empty, or cut short) WHEN another process opens THEN it is never mistaken for a stale one', async () => {
    for (const partial of ['', '{"pid":12']) {
      const dir = await lockDir('partial')
      await writeFile(lockFileOf(dir), partial)
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError)
      expect(await readFile(lockFileOf(dir), 'utf8')).toBe(partial)
    }
  })

  it('GIVEN a lock of this pid but not of this process (a restarted container reuses pids) WHEN opening THEN it is taken over', async () => {
    const dir = await lockDir('ownpid')
    await writeFile(lockFileOf(dir), staleLock({ pid: process.pid, nonce: 'an-earlier-process' }))
    const lock = acquireDataDirLock(dir)
    expect(JSON.parse(await readFile(lockFileOf(dir), 'utf8'))).toMatchObject({ pid: process.pid })
    expect(() => acquireDataDirLock(dir), 'a second open in the same process').toThrow(DataDirLockedError)
    lock.release()
  })

  it('GIVEN a lock from before a reboot, or of a live pid that started at another moment WHEN opening THEN it is taken over', async () => {
    const rebooted = await lockDir('reboot')
    await writeFile(lockFileOf(rebooted), staleLock({ pid: process.ppid, bootId: 'an-earlier-boot' }))
    acquireDataDirLock(rebooted).release()
    const reused = await lockDir('reused')
    await writeFile(lockFileOf(reused), staleLock({ pid: process.ppid, startTicks: 1 }))
    acquireDataDirLock(reused).release()
  })

  it('GIVEN a live holder on this machine WHEN another opener or the unlock command comes THEN both are refused, naming it', async () => {
    const dir = await lockDir('live')
    const ticks = Number(readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19])
    await writeFile(lockFileOf(dir), staleLock({ pid: process.ppid, startTicks: ticks }))
    expect(() => acquireDataDirLock(dir)).toThrow(`process ${process.ppid}`)
    expect(() => breakDataDirLock(dir, { force: true })).toThrow(DataDirLockedError)
    expect(inspectDataDirLock(dir)?.verdict).toBe('alive')
  })

  it('GIVEN a lock taken on another host WHEN starting THEN it is refused naming the takeover command, which removes it only with --force', async () => {
    const dir = await lockDir('foreign')
    await writeFile(lockFileOf(dir), staleLock({ host: 'container-3f2a9c' }))
    expect(() => acquireDataDirLock(dir)).toThrow(/npm run db:unlock -- --force/)
    expect(() => breakDataDirLock(dir, { force: false })).toThrow(/--force/)
    expect(breakDataDirLock(dir, { force: true })).toMatchObject({ removed: true, verdict: 'foreign-host' })
    acquireDataDirLock(dir).release()
  })

  it('GIVEN a takeover cut off by a crash (its mutex left behind) WHEN starting THEN the message names the command, which clears it', async () => {
    const dir = await lockDir('mutex')
    await writeFile(lockFileOf(dir), staleLock())
    const mutex = path.join(dir, 'vanthu.lock.takeover')
    await mkdir(mutex)
    const old = new Date(Date.now() - 120_000)
    await utimes(mutex, old, old)
    expect(() => acquireDataDirLock(dir)).toThrow(/interrupted .* npm run db:unlock/)
    expect(breakDataDirLock(dir, { force: false })).toMatchObject({ removed: true })
    acquireDataDirLock(dir).release()
  })
})

describe('scripts that meet a locked data directory', () => {
  const script = (name: string, dataDir: string, args: string[] = []) =>
    run(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', name), ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    }).then(
      (result) => ({ code: 0, ...result }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    )

  it('GIVEN a data directory held by a running process WHEN seed:demo, blobs:check and reindex start THEN each prints one line naming the holder and exits 1', async () => {
    const dataDir = await lockDir('scripts')
    const lock = acquireDataDirLock(path.join(dataDir, 'pg'))
    try {
      const results = await Promise.all(
        [
          ['seed-demo.ts', 'seed:demo'],
          ['check-blobs.ts', 'blobs:check'],
          ['reindex.ts', 'reindex'],
        ].map(async ([file, name]) => ({ name, ...(await script(file!, dataDir)) })),
      )
      for (const { name, code, stderr } of results) {
        expect({ name, code }).toEqual({ name, code: 1 })
        const lines = stderr.trim().split('\n')
        expect({ name, lines }).toEqual({ name, lines: [expect.stringMatching(new RegExp(`^vanthu ${name}: The embedded database .* is in use by process ${process.pid}`))] })
      }
    } finally {
      lock.release()
    }
  }, 120_000)

  it('GIVEN a lock left on another host WHEN the operator runs db:unlock, then with --force THEN it is refused, then removed', async () => {
    const dataDir = await lockDir('unlock')
    await mkdir(path.join(dataDir, 'pg'))
    await writeFile(lockFileOf(path.join(dataDir, 'pg')), staleLock({ host: 'old-container' }))
    const refused = await script('unlock-data-dir.ts', dataDir)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('--force')
    const forced = await script('unlock-data-dir.ts', dataDir, ['--force'])
    expect(forced.code, forced.stderr).toBe(0)
    expect(forced.stdout).toMatch(/removed the lock of process \d+ on old-container/)
    expect(inspectDataDirLock(path.join(dataDir, 'pg'))).toBeUndefined()
  }, 60_000)
})
