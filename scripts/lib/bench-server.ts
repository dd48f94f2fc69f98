import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/** What GET /readyz answers (src/ops/health.routes.ts). */
export interface Readiness {
  status: string
  databaseDriver: string
  storageDriver: string
}

export interface BenchServer {
  /** The pid of the server itself (node is spawned directly, so no npm/tsx wrapper sits in between). */
  pid: number
  baseUrl: string
  readiness: Readiness
  /** `Bearer <token>` of the benchmark's clerk: POST /api/documents needs the `clerk` role. */
  authorization: string
  stop(): Promise<void>
}

export interface ServerOptions {
  repoRoot: string
  dataDir: string
  uploadMaxMb: number
  /** Extra node flags for the server (e.g. `--cpu-prof`). */
  nodeArgs?: string[]
  /** Extra environment for the server (on top of the passthrough). */
  env?: Record<string, string>
}

// Only the caller's database and storage choices (plus what node needs to run) reach the server, so a
// stray BLOB_DIR or WORKERS_IN_PROCESS in the shell cannot quietly change what is measured.
const PASSTHROUGH =
  /^(PATH|HOME|TMPDIR|LANG|LC_\w+|TZ|DATABASE_URL|DATABASE_POOL_SIZE|STORAGE_DRIVER|S3_\w+)$/

// Fixed credentials: the server starts on an empty database (fresh DATA_DIR, or the DATABASE_URL the
// caller created for the run), so bootstrap creates `admin` with this password. Both pass the password
// policy (>= 12 characters, not containing the username).
const ADMIN_PASSWORD = 'Mật khẩu quản trị benchmark 2026'
const CLERK = {
  username: 'vanthu',
  fullName: 'Văn thư benchmark',
  roles: ['clerk'],
  password: 'Mật khẩu người nhập liệu benchmark 2026',
}

const READY_TIMEOUT_MS = 120_000
const STOP_TIMEOUT_MS = 30_000

export async function startServer({ repoRoot, dataDir, uploadMaxMb, nodeArgs = [], env: extraEnv = {} }: ServerOptions): Promise<BenchServer> {
  const port = await freePort()
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => PASSTHROUGH.test(key)),
  )
  Object.assign(env, {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    UPLOAD_MAX_MB: String(uploadMaxMb),
    VANTHU_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...extraEnv,
  })
  // Measure what `npm start` runs: the compiled server (built first by `npm run bench:upload`).
  const child = spawn(process.execPath, [...nodeArgs, 'dist/server/server.js'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (child.pid === undefined) throw new Error('could not spawn the server')
  const baseUrl = `http://127.0.0.1:${port}`
  try {
    const readiness = await waitReady(child, baseUrl)
    const authorization = await signInClerk(baseUrl)
    return { pid: child.pid, baseUrl, readiness, authorization, stop: () => stopChild(child) }
  } catch (error) {
    await stopChild(child)
    throw error
  }
}

async function waitReady(child: ChildProcess, baseUrl: string): Promise<Readiness> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the server exited with code ${child.exitCode} before it was ready`)
    try {
      const response = await fetch(`${baseUrl}/readyz`)
      if (response.status === 200) return (await response.json()) as Readiness
    } catch {
      // not listening yet (PGlite takes a few seconds to initialise)
    }
    await sleep(200)
  }
  throw new Error(`/readyz did not answer 200 within ${READY_TIMEOUT_MS / 1000} s`)
}

/**
 * admin token -> create the clerk -> clerk token: 2 of the 20 sign-ins per minute the login routes allow
 * one IP (LOGIN_RATE_LIMIT_PER_MINUTE), so back-to-back runs stay well inside it.
 */
async function signInClerk(baseUrl: string): Promise<string> {
  const adminToken = await issueToken(baseUrl, 'admin', ADMIN_PASSWORD)
  await postJson(baseUrl, '/api/admin/users', CLERK, 201, adminToken)
  return `Bearer ${await issueToken(baseUrl, CLERK.username, CLERK.password)}`
}

async function issueToken(baseUrl: string, username: string, password: string): Promise<string> {
  const { token } = (await postJson(baseUrl, '/api/auth/token', { username, password }, 200)) as {
    token: string
  }
  return token
}

async function postJson(baseUrl: string, route: string, body: unknown, expected: number, token?: string) {
  const response = await fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  if (response.status !== expected) {
    // 401 on the admin token or "username taken" here: the database was not empty (bench needs a fresh one)
    throw new Error(`POST ${route}: HTTP ${response.status} (expected ${expected}): ${text.slice(0, 300)}`)
  }
  return JSON.parse(text) as unknown
}

/** SIGTERM for the graceful shutdown path; SIGKILL only if it hangs. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}

/** Asks the kernel for an unused port, then releases it for the server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export interface Memory {
  rssMiB: number
  /** VmHWM: the peak RSS since start (or since the last resetPeakRss). */
  hwmMiB: number
}

/** Reads VmRSS/VmHWM from /proc (Linux only): the server's own figures, not the client's. */
export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string) =>
    Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? Number.NaN)
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 }
}

/**
 * Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux >= 4.0), so the peak reported after
 * the big upload is that upload's and not the throughput phase's. False when the kernel refuses.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/** Polls the RSS every `everyMs` and keeps the highest value seen. */
export function sampleRss(pid: number, everyMs: number): { stop(): number } {
  let peak = 0
  const sample = () => {
    try {
      peak = Math.max(peak, readMemory(pid).rssMiB)
    } catch {
      // the process is gone; the caller will find out from its request
    }
  }
  sample()
  const timer = setInterval(sample, everyMs)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return peak
    },
  }
}
