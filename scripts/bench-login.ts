/**
 * `npm run bench:login`: the cost of a password check (argon2id with the parameters of
 * src/auth/passwords.ts) and the latency of a whole sign-in through the HTTP API, on this machine.
 * Prints figures; asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { buildApp } from '../src/app.ts'
import { hashPassword, verifyPassword } from '../src/auth/passwords.ts'
import { defineJobs } from '../src/jobs.ts'
import { bootstrapAdmin } from '../src/organisation/bootstrap.ts'
import { loadConfig } from '../src/platform/config.ts'
import { openPlatform } from '../src/platform/platform.ts'

const ROUNDS = Number(process.argv[2] ?? 20)
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)]!
const time = async (work: () => Promise<unknown>) => {
  const start = performance.now()
  await work()
  return performance.now() - start
}

const password = 'Mật khẩu đo thời gian đăng nhập'
const stored = await hashPassword(password)
const hashes: number[] = []
const verifies: number[] = []
for (let i = 0; i < ROUNDS; i++) {
  hashes.push(await time(() => hashPassword(password)))
  verifies.push(await time(() => verifyPassword(stored, password)))
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-bench-login-'))
const platform = await openPlatform(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: process.env.DATABASE_URL }))
defineJobs(platform)
const app = await buildApp({ platform, logger: false })
await bootstrapAdmin(platform.database, password)
const logins: number[] = []
for (let i = 0; i < ROUNDS; i++) {
  logins.push(
    await time(async () => {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password } })
      if (response.statusCode !== 200) throw new Error(response.body)
    }),
  )
}
await app.close()
await rm(dataDir, { recursive: true, force: true })

const row = (label: string, values: number[]) =>
  console.log(`${label.padEnd(34)} p50 ${percentile(values, 0.5).toFixed(1)} ms   p95 ${percentile(values, 0.95).toFixed(1)} ms`)
console.log(`argon2id m=65536 KiB, t=3, p=1 — ${ROUNDS} rounds, ${os.cpus().length} CPUs, node ${process.version}`)
row('hash a password', hashes)
row('verify a password', verifies)
row(`sign in over HTTP (${platform.database.kind})`, logins)
