/** Starts the built server (dist/server/server.js, what `npm start` runs) on a benchmark instance. */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

export interface RunningServer {
  pid: number
  baseUrl: string
  stop(): Promise<void>
}

// Only what node needs to run reaches the server, with the instance's database: a stray MEILI_URL or
// WORKERS_IN_PROCESS in the shell cannot change what is measured.
const PASSTHROUGH = /^(PATH|HOME|TMPDIR|LANG|LC_\w+|TZ)$/

/** `nodeArgs`: extra node flags for the server (e.g. `--cpu-prof`). */
export async function startServer(
  repoRoot: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<RunningServer> {
  const port = await freePort()
  const child = spawn(process.execPath, [...nodeArgs, 'dist/server/server.js'], {
    cwd: repoRoot,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => PASSTHROUGH.test(key))),
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // Only the API answers: no job would change the index while queries are timed.
      WORKERS_IN_PROCESS: 'false',
      // The benchmark signs in a few users many times over runs; the limit is per address and minute.
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (child.pid === undefined) throw new Error('could not spawn the server')
  const baseUrl = `http://127.0.0.1:${port}`
  try {
    await waitReady(child, baseUrl)
    return { pid: child.pid, baseUrl, stop: () => stopChild(child) }
  } catch (error) {
    await stopChild(child)
    throw error
  }
}

async function waitReady(child: ChildProcess, baseUrl: string): Promise<void> {
  const deadline = Date.now() + 300_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`)
    try {
      if ((await fetch(`${baseUrl}/readyz`)).status === 200) return
    } catch {
      // not listening yet
    }
    await sleep(200)
  }
  throw new Error('the server was not ready within 300 s')
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  await exited
  clearTimeout(timer)
}

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
