/**
 * The kill -9 drill of issue 13: `npm run drill:kill -- [--kills 10] [--clients 4] [--postgres URL]`.
 *
 * Starts the built server on a scratch data directory (embedded database), or on a scratch database next
 * to `--postgres URL`, keeps `--clients` clerks registering incoming documents (POST /api/incoming, each
 * PDF distinct), and kills the server with SIGKILL at a random moment after registrations flow, `--kills`
 * times, restarting it each time. Then it checks what a records office must be able to rely on and prints one line per check:
 *   - every acknowledged (201) document is there, with the same bytes (SHA-256 of the content served);
 *   - the số đến series has no gap and no repeat (1..N over every registered document);
 *   - GET /api/audit/verify is ok;
 *   - blobs no row points at (bytes stored by a request the kill cut short) are counted, then swept.
 * Exits 1 if any check fails.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash, randomInt } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import { loadConfig } from '../src/platform/config.ts'
import { openPlatform } from '../src/platform/platform.ts'
import { sweepOrphanBlobs } from '../src/storage/blob-garbage.ts'

const REPO_ROOT = path.resolve(import.meta.dirname, '..')
const CORPUS_PDF = path.resolve(REPO_ROOT, '../shared/corpus/docs/001.pdf')
const ADMIN_PASSWORD = 'Mật khẩu quản trị diễn tập 2026'
const CLERK = { username: 'vanthudt', fullName: 'Văn thư diễn tập', roles: ['clerk'], password: 'Văn thư diễn tập kill 2026' }

const { values: flags } = parseArgs({
  options: {
    kills: { type: 'string', default: '10' },
    clients: { type: 'string', default: '4' },
    'min-ms': { type: 'string', default: '400' },
    'max-ms': { type: 'string', default: '2500' },
    postgres: { type: 'string' },
  },
})
const kills = Number(flags.kills)
const clients = Number(flags.clients)
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`)

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vanthu-drill-kill-'))
let databaseUrl: string | undefined
if (flags.postgres) {
  const scratch = `vanthu_drill_kill_${process.pid}`
  const admin = postgres(flags.postgres, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${scratch}`)
  await admin.unsafe(`create database ${scratch}`)
  await admin.end()
  const url = new URL(flags.postgres)
  url.pathname = `/${scratch}`
  databaseUrl = url.toString()
}
const serverEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'error',
  VANTHU_ADMIN_PASSWORD: ADMIN_PASSWORD,
  // The drill counts orphans itself: the server's own sweep must not remove them first.
  BLOB_SWEEP_GRACE_MINUTES: '100000',
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
}

interface Acknowledged {
  id: string
  sha256: string
  incomingNumber: number
}
const acknowledged: Acknowledged[] = []
let refused = 0
let cut = 0
const basePdf = readFileSync(CORPUS_PDF)
let sequence = 0

async function freePort(): Promise<number> {
  const probe = net.createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const address = probe.address()
  probe.close()
  return typeof address === 'object' && address ? address.port : 0
}

async function startServer(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['dist/server/server.js'], {
    cwd: REPO_ROOT,
    env: { ...serverEnv, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready`)
    const ready = await fetch(`${baseUrl}/readyz`).then((r) => r.status === 200, () => false)
    if (ready) return { child, baseUrl }
    await sleep(200)
  }
  throw new Error('the server was not ready within 180 s')
}

async function post(baseUrl: string, route: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
}

async function token(baseUrl: string, username: string, password: string): Promise<string> {
  const response = await post(baseUrl, '/api/auth/token', { username, password })
  if (response.status !== 200) throw new Error(`sign-in of ${username}: HTTP ${response.status}`)
  return ((await response.json()) as { token: string }).token
}

/** One clerk registering documents until the server goes away. */
async function registerUntilKilled(baseUrl: string, clerkToken: string): Promise<void> {
  for (;;) {
    const n = ++sequence
    const bytes = Buffer.concat([basePdf, Buffer.from(`\n%drill-kill ${process.pid} ${n}\n`)])
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const form = new FormData()
    form.set('kind', 'Công văn')
    form.set('subject', `V/v diễn tập kill -9 số ${n}`)
    form.set('numberNotation', `${n}/DT-KILL`)
    form.set('issuer', 'Sở Diễn tập')
    form.set('file', new Blob([bytes], { type: 'application/pdf' }), `dien-tap-${n}.pdf`)
    let response: Response
    try {
      response = await fetch(`${baseUrl}/api/incoming`, { method: 'POST', headers: { authorization: `Bearer ${clerkToken}` }, body: form })
    } catch {
      cut++ // the connection died with the server: not acknowledged, may or may not be stored
      return
    }
    const text = await response.text()
    if (response.status !== 201) {
      // A refusal is the drill's own fault or a server fault: counted, reported, and this client stops.
      refused++
      log(`refused: HTTP ${response.status} ${text.slice(0, 300)}`)
      return
    }
    const body = JSON.parse(text) as { id: string; incomingNumber: number; document: { files: { sha256: string }[] } }
    if (body.document.files[0]?.sha256 !== sha256) throw new Error(`document ${body.id}: the server hashed other bytes`)
    acknowledged.push({ id: body.id, sha256, incomingNumber: body.incomingNumber })
  }
}

let clerkToken = ''
let adminToken = ''
for (let round = 0; round <= kills; round++) {
  const started = Date.now()
  const { child, baseUrl } = await startServer()
  const readyMs = Date.now() - started
  if (round === 0) {
    adminToken = await token(baseUrl, 'admin', ADMIN_PASSWORD)
    const created = await post(baseUrl, '/api/admin/users', CLERK, adminToken)
    if (created.status !== 201) throw new Error(`creating the clerk: HTTP ${created.status}`)
    clerkToken = await token(baseUrl, CLERK.username, CLERK.password)
  }
  if (round === kills) {
    await verifyAndStop(child, baseUrl)
    break
  }
  const before = acknowledged.length
  const workers = Array.from({ length: clients }, () => registerUntilKilled(baseUrl, clerkToken))
  // The kill lands at a random moment once registrations flow (on a slow machine the first takes a while).
  const flowing = Date.now() + 120_000
  while (acknowledged.length === before && Date.now() < flowing) await sleep(50)
  await sleep(randomInt(Number(flags['min-ms']), Number(flags['max-ms'])))
  child.kill('SIGKILL')
  await once(child, 'exit')
  await Promise.all(workers)
  log(`round ${round + 1}/${kills}: ready in ${readyMs} ms, ${acknowledged.length - before} acknowledged, then kill -9`)
}

async function verifyAndStop(child: ChildProcess, baseUrl: string): Promise<void> {
  let failed = 0
  const report = (ok: boolean, line: string) => {
    if (!ok) failed++
    console.log(`${ok ? 'OK  ' : 'FAIL'} ${line}`)
  }
  const auth = { authorization: `Bearer ${adminToken}` }
  const clerkAuth = { authorization: `Bearer ${clerkToken}` }
  let missing = 0
  let differing = 0
  for (const document of acknowledged) {
    const view = await fetch(`${baseUrl}/api/documents/${document.id}`, { headers: clerkAuth })
    if (view.status !== 200) {
      missing++
      continue
    }
    const { files } = (await view.json()) as { files: { id: string }[] }
    const content = await fetch(`${baseUrl}/api/documents/${document.id}/files/${files[0]!.id}/content`, { headers: clerkAuth })
    const served = createHash('sha256').update(Buffer.from(await content.arrayBuffer())).digest('hex')
    if (served !== document.sha256) differing++
  }
  report(refused === 0, `${refused} registrations refused`)
  report(missing === 0 && differing === 0, `${acknowledged.length} acknowledged documents: ${missing} missing, ${differing} with other bytes`)

  const audit = (await (await fetch(`${baseUrl}/api/audit/verify`, { headers: auth })).json()) as { ok: boolean; checked?: number; reason?: string }
  report(audit.ok, `audit chain: ${audit.ok ? `ok, ${audit.checked} events` : `broken (${audit.reason})`}`)
  child.kill('SIGTERM')
  await once(child, 'exit')

  // The rest reads the database and the blobs directly, with the server stopped (the embedded lock).
  const config = loadConfig(serverEnv as Record<string, string>)
  const platform = await openPlatform(config)
  try {
    const rows = (
      await platform.database.executeSql(
        `select arrival_number as n from documents where direction = 'incoming' and arrival_number is not null order by 1`,
      )
    ).rows as { n: number }[]
    const numbers = rows.map((row) => Number(row.n))
    const repeats = numbers.length - new Set(numbers).size
    const gaps = numbers.length === 0 ? 0 : Math.max(...numbers) - new Set(numbers).size
    const lost = acknowledged.filter((document) => !numbers.includes(document.incomingNumber)).length
    report(
      repeats === 0 && gaps === 0 && lost === 0,
      `số đến: ${numbers.length} registered (1..${Math.max(0, ...numbers)}), ${gaps} gaps, ${repeats} repeats, ${lost} acknowledged numbers absent`,
    )
    const sweep = await sweepOrphanBlobs(platform.database, platform.blobStore, { graceMinutes: 0, tmpDirs: [] })
    console.log(
      `INFO ${sweep.scanned} blobs, ${sweep.deleted} orphans (bytes of requests cut by a kill, at most ${cut} such requests) swept`,
    )
  } finally {
    await platform.close()
  }
  console.log(
    `drill:kill kills=${kills} clients=${clients} driver=${databaseUrl ? 'postgres' : 'pglite'} acknowledged=${acknowledged.length} cut=${cut} refused=${refused} ${failed === 0 ? 'ok' : `FAILED=${failed}`}`,
  )
  process.exitCode = failed === 0 ? 0 : 1
}

rmSync(dataDir, { recursive: true, force: true })
if (databaseUrl && flags.postgres) {
  const admin = postgres(flags.postgres, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${new URL(databaseUrl).pathname.slice(1)} with (force)`)
  await admin.end()
}
