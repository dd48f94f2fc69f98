/**
 * `npm run bench:start`: how long `npm start` takes until GET /readyz answers 200 — a first start (empty
 * data directory: migrations, the admin account; with `--fresh`, also without dist/, as on a fresh clone,
 * so it compiles the server and builds the UI) and a second start on the same data with nothing changed.
 * Target (issue 11): a second start ready in 5 s or less. Prints each figure and a one-line summary.
 *
 *   npm run bench:start              first and second start, keeping the current build
 *   npm run bench:start -- --fresh   first start from a clean build (deletes dist/), as after `git clone`
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const fresh = process.argv.includes('--fresh')
const SECOND_START_TARGET_S = 5

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  return typeof address === 'object' && address ? address.port : 3000
}

/** `npm start` with its own data directory and port; seconds until /readyz answers 200. */
async function timeStart(dataDir: string): Promise<{ seconds: number; child: ChildProcess; log: () => string }> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', VANTHU_ADMIN_PASSWORD: 'Bench start mật khẩu 2026' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  let exited = false
  child.once('exit', () => (exited = true))
  for (;;) {
    if (exited) throw new Error(`npm start exited before it was ready:\n${output}`)
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)
    if (ready) return { seconds: (performance.now() - started) / 1000, child, log: () => output }
    if (performance.now() - started > 600_000) throw new Error(`not ready after 10 minutes:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** SIGTERM to npm and the server under it (its own process group), then wait for the exit. */
async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  process.kill(-child.pid!, 'SIGTERM')
  await exited
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vanthu-bench-start-'))
try {
  if (fresh) rmSync(path.join(root, 'dist'), { recursive: true, force: true })
  console.log(`load average: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores)`)
  const first = await timeStart(dataDir)
  console.log(`first start${fresh ? ' (fresh clone: compile, UI build, migrations)' : ' (empty data: migrations, admin)'}: ${first.seconds.toFixed(1)} s to /readyz`)
  await stop(first.child)
  const second = await timeStart(dataDir)
  console.log(`second start (nothing changed): ${second.seconds.toFixed(1)} s to /readyz`)
  await stop(second.child)
  const verdict = second.seconds <= SECOND_START_TARGET_S ? 'meets' : 'MISSES'
  console.log(
    `bench:start first=${first.seconds.toFixed(1)}s second=${second.seconds.toFixed(1)}s — ${verdict} the ${SECOND_START_TARGET_S} s target for a second start (load ${os.loadavg()[0]!.toFixed(2)})`,
  )
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
