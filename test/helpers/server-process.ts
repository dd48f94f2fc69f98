import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdtemp } from 'node:fs/promises'
import { type AddressInfo, createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { inject } from 'vitest'

/** The repository root: child processes run from here, as `npm start` would. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..')

/**
 * A new data directory holding a copy of the already-migrated embedded database, for a server process
 * whose test is not about the first start (that one gets an empty directory).
 */
export async function migratedDataDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `vanthu-${label}-`))
  await cp(inject('embeddedDataDirTemplate'), dir, { recursive: true })
  return dir
}

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

/** A real vanthu process (API server or worker) from the build, as `npm start` / `npm run worker` run it. */
export interface ServiceProcess {
  readonly child: ChildProcess
  readonly pid: number
  readonly port: number
  readonly baseUrl: string
  readonly stdout: () => string
  readonly stderr: () => string
  /** Settles when the process has exited and its output is drained. */
  readonly exited: Promise<Exit>
  readonly running: () => boolean
  /** Sends the signal and waits for the exit; undefined when it did not exit within timeoutMs. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit | undefined>
}

/** A port that was free a moment ago: bind to 0, read it, release it. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
  return port
}

/**
 * Starts the built server or worker (dist/server, which the global setup keeps up to date) with only the
 * given environment (plus PATH and HOME), so nothing from the test runner's environment (DATABASE_URL,
 * S3_*) leaks into the service.
 */
export function startService(
  script: 'server' | 'worker',
  env: Record<string, string> & { PORT: string },
): ServiceProcess {
  const entry = path.join(REPO_ROOT, 'dist/server', `${script}.js`)
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build:server first`)
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }))
    child.once('error', () => resolve({ code: null, signal: null }))
  })
  if (child.pid === undefined) throw new Error(`could not spawn ${script}`)
  const port = Number(env.PORT)
  const running = () => child.exitCode === null && child.signalCode === null
  return {
    child,
    pid: child.pid,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    running,
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (running()) child.kill(signal)
      return withTimeout(exited, timeoutMs)
    },
  }
}

/** Polls GET /readyz until 200; fails early, with the process's stderr, if the process exits first. */
export async function waitForReady(service: ServiceProcess, timeoutMs = 60_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!service.running()) {
      const exit = await service.exited
      throw new Error(`service exited (${JSON.stringify(exit)}) before it was ready:\n${service.stderr()}`)
    }
    try {
      const response = await fetch(`${service.baseUrl}/readyz`, { signal: AbortSignal.timeout(5_000) })
      const body = await response.json()
      if (response.status === 200) return body
    } catch {
      // not listening yet
    }
    await sleep(200)
  }
  throw new Error(`service on port ${service.port} not ready within ${timeoutMs} ms:\n${service.stderr()}`)
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs)
    }),
  ]).finally(() => clearTimeout(timer))
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
