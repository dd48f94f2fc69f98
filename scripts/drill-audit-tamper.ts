/**
 * `npm run drill:audit-tamper [-- --postgres postgres://…/db]`: the audit-trail tamper drill (issue 13).
 * On a scratch instance (an in-memory PGlite, or a scratch database created next to the given PostgreSQL
 * one and dropped after) it builds a chain with a signed checkpoint, then for each case starts from that
 * state, tampers as a database superuser would (append-only triggers switched off), and runs the same
 * verification as GET /api/audit/verify. It prints each case, the verdict, and whether it was detected;
 * exits 1 when an outcome differs from the expected one (including the undetectable cases, so a change
 * of behaviour shows). Never touches the service's own data.
 */
import { randomBytes } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { GENESIS_HASH, type ChainVerdict, hashEvent } from '../src/audit/audit-chain.ts'
import { appendAuditEvent, verifyAuditChain } from '../src/audit/audit.service.ts'
import { generateAuditKey } from '../src/audit/checkpoints/audit-key.ts'
import { type CheckpointExport, createCheckpoint } from '../src/audit/checkpoints/checkpoints.service.ts'
import { SecretBox } from '../src/auth/secrets.ts'
import { type Database, openDatabase } from '../src/platform/db/database.ts'

const EVENTS_BEFORE = 20
const EVENTS_AFTER = 8
const secretBox = new SecretBox(randomBytes(32))
const postgresUrl = argument('--postgres')

interface Scratch {
  database: Database
  dispose(): Promise<void>
}

interface Case {
  name: string
  expect: 'detected' | 'not detected'
  tamper(db: Database, world: World): Promise<void>
  /** Detection by an exported copy of the checkpoint held outside the service, checked offline. */
  offline?: boolean
}

interface World {
  checkpoint: CheckpointExport
  lastSeq: number
}

const CASES: Case[] = [
  { name: 'row edit: details of event 5 changed, hash left', expect: 'detected', tamper: (db) => superuser(db, `update audit_events set details = details || '{"amount": 999}' where seq = 5`) },
  { name: 'row edit: event 5 changed and its own hash recomputed', expect: 'detected', tamper: (db) => rewriteOne(db, 5) },
  { name: 'deletion: event 12 removed', expect: 'detected', tamper: (db) => superuser(db, 'delete from audit_events where seq = 12') },
  { name: 'tail truncation: last 3 events removed, head left', expect: 'detected', tamper: (db, w) => superuser(db, `delete from audit_events where seq > ${w.lastSeq - 3}`) },
  {
    name: 'tail truncation + head rewind, after the last checkpoint',
    expect: 'not detected',
    tamper: async (db, w) => {
      await superuser(db, `delete from audit_events where seq > ${w.lastSeq - 3}`)
      await rewindHead(db)
    },
  },
  {
    name: 'tail truncation + head rewind, past the checkpoint',
    expect: 'detected',
    tamper: async (db, w) => {
      await superuser(db, `delete from audit_events where seq > ${w.checkpoint.chainSeq - 4}`)
      await rewindHead(db)
    },
  },
  { name: 'full recompute: event 3 changed, every hash after it recomputed', expect: 'detected', tamper: (db) => rewriteFrom(db, 3) },
  { name: 'full recompute after the last checkpoint only', expect: 'not detected', tamper: (db, w) => rewriteFrom(db, w.checkpoint.chainSeq + 3) },
  {
    name: 'rewrite against the checkpoint: recompute + re-sign it with an own key',
    expect: 'detected',
    tamper: async (db, w) => {
      await rewriteFrom(db, 3)
      const own = new SecretBox(randomBytes(32))
      const key = generateAuditKey(own, 'attacker').stored
      await superuser(db, `insert into audit_signing_keys (fingerprint, certificate, sealed_private_key, created_at) values ('${key.fingerprint}', '${key.certificate}', '${key.sealedPrivateKey}', now() + interval '1 day')`)
      await superuser(db, `delete from audit_checkpoints where id = ${w.checkpoint.id}`)
      await createCheckpoint({ database: db, secretBox: own }, { actor: 'user:admin' })
      await superuser(db, `update audit_checkpoints set id = ${w.checkpoint.id} where id = ${w.checkpoint.id + 1}`)
    },
  },
  {
    name: 'rewrite against the checkpoint: checkpoint row deleted',
    expect: 'detected',
    tamper: (db, w) => superuser(db, `delete from audit_checkpoints where id = ${w.checkpoint.id}`),
  },
  {
    name: 'rewrite against the checkpoint: checkpoint and its event erased, chain recomputed (server view)',
    expect: 'not detected',
    tamper: (db, w) => eraseCheckpoint(db, w),
  },
  {
    name: 'same, checked with the exported checkpoint (openssl + chain)',
    expect: 'detected',
    offline: true,
    tamper: (db, w) => eraseCheckpoint(db, w),
  },
]

const base = await buildBase()
console.log(
  `Audit tamper drill on ${postgresUrl ? 'PostgreSQL (scratch database)' : 'PGlite (in memory)'}: ` +
    `${base.world.lastSeq} events, checkpoint ${base.world.checkpoint.id} pins event ${base.world.checkpoint.chainSeq} ` +
    `(signed${base.world.checkpoint.timestampToken ? ', timestamped' : ''}), ${base.world.lastSeq - base.world.checkpoint.chainSeq} events after it`,
)
let surprises = 0
try {
  for (const [index, drillCase] of CASES.entries()) {
    const scratch = await base.fork()
    try {
      await drillCase.tamper(scratch.database, base.world)
      const verdict = drillCase.offline
        ? await offlineCheck(scratch.database, base.world.checkpoint)
        : await verifyAuditChain(scratch.database, { secretBox })
      const outcome = verdict.ok ? 'not detected' : 'detected'
      if (outcome !== drillCase.expect) surprises++
      console.log(
        `${String(index + 1).padStart(2)}. ${drillCase.name.padEnd(92)} ${describe(verdict).padEnd(58)} ${outcome.toUpperCase()}` +
          (outcome === drillCase.expect ? '' : `  <-- expected ${drillCase.expect}`),
      )
    } finally {
      await scratch.dispose()
    }
  }
} finally {
  await base.dispose()
}
console.log(surprises === 0 ? 'every case behaved as expected' : `${surprises} case(s) did not behave as expected`)
process.exit(surprises === 0 ? 0 : 1)

function describe(verdict: ChainVerdict & { offline?: string }): string {
  if (verdict.offline) return verdict.offline
  if (verdict.ok) return `ok (${verdict.checked} events, ${verdict.checkpoints ?? 0} checkpoints)`
  const where = verdict.firstBrokenSeq === null ? '' : ` at event ${verdict.firstBrokenSeq}`
  const checkpoint = verdict.checkpointId ? `, checkpoint ${verdict.checkpointId}` : ''
  const problem = verdict.checkpointProblem ? ` (${verdict.checkpointProblem})` : ''
  return `${verdict.reason}${where}${checkpoint}${problem}`
}

/** A chain with one signed checkpoint, and a way to get a fresh copy of it for each case. */
async function buildBase(): Promise<{ world: World; fork(): Promise<Scratch>; dispose(): Promise<void> }> {
  const first = await openScratch()
  const db = first.database
  for (let i = 1; i <= EVENTS_BEFORE; i++) await append(db, i)
  const made = await createCheckpoint({ database: db, secretBox }, { actor: 'user:admin' })
  if (!('created' in made)) throw new Error('no checkpoint made')
  for (let i = EVENTS_BEFORE + 1; i <= EVENTS_BEFORE + EVENTS_AFTER; i++) await append(db, i)
  const { rows } = await db.executeSql('select max(seq)::int as seq from audit_events')
  const world = { checkpoint: made.created, lastSeq: Number(rows[0]?.seq) }
  if (first.template) {
    const template = first.template
    await first.dispose()
    return { world, fork: () => openScratch(template), dispose: () => dropDatabase(template) }
  }
  // As test/global-setup.ts: drizzle's PGlite handle keeps its client, whose data directory is dumped once.
  const dump = await (db.db as unknown as { $client: { dumpDataDir(c: 'gzip'): Promise<Blob> } }).$client.dumpDataDir('gzip')
  await first.dispose()
  return { world, fork: () => openScratch(undefined, dump), dispose: async () => {} }
}

async function openScratch(template?: string, dump?: Blob): Promise<Scratch & { template?: string }> {
  if (!postgresUrl) {
    const database = await openDatabase(dump ? { loadDataDir: dump } : {})
    return { database, dispose: () => database.close() }
  }
  const name = `vanthu_drill_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = postgres(postgresUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`)
  await admin.end()
  const url = new URL(postgresUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ url: url.toString(), poolSize: 2 })
  return {
    database,
    template: template ? undefined : name,
    dispose: async () => {
      await database.close()
      if (template) await dropDatabase(name)
    },
  }
}

async function dropDatabase(name: string) {
  const admin = postgres(postgresUrl!, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.end()
}

function append(db: Database, i: number) {
  return db.db.transaction((tx) =>
    appendAuditEvent(tx, { actor: 'user:drill' }, { action: 'document.registered', targetType: 'document', targetId: `doc-${i}`, details: { arrivalNumber: i, title: `Công văn số ${i}` } }),
  )
}

/** What a superuser can do: the append-only triggers off, the change, the triggers on again. */
async function superuser(db: Database, text: string) {
  const tables = ['audit_events', 'audit_head', 'audit_checkpoints', 'audit_signing_keys']
  await db.executeSql(tables.map((table) => `alter table ${table} disable trigger user;`).join(' '))
  try {
    await db.executeSql(text)
  } finally {
    await db.executeSql(tables.map((table) => `alter table ${table} enable trigger user;`).join(' '))
  }
}

function rewindHead(db: Database) {
  return superuser(db, `update audit_head set last_seq = (select max(seq) from audit_events),
    last_hash = (select hash from audit_events where seq = (select max(seq) from audit_events))`)
}

async function rewriteOne(db: Database, seq: number) {
  const [row] = (await db.executeSql('select * from audit_events where seq = $1', [seq])).rows
  const details = { ...(row!.details as object), amount: 999 }
  const hash = hashEvent({ ...eventOf(row!), details })
  await superuser(db, `update audit_events set details = '${JSON.stringify(details).replaceAll("'", "''")}'::jsonb, hash = '${hash}' where seq = ${seq}`)
}

/** Changes event `fromSeq` and recomputes every hash after it, then rewinds the head: a consistent chain. */
async function rewriteFrom(db: Database, fromSeq: number) {
  const { rows } = await db.executeSql('select * from audit_events where seq >= $1 order by seq', [fromSeq])
  const before = (await db.executeSql('select hash from audit_events where seq = $1', [fromSeq - 1])).rows[0]
  let prevHash = (before?.hash as string | undefined) ?? GENESIS_HASH
  const updates: string[] = []
  for (const row of rows) {
    const event = eventOf(row)
    const details = event.seq === fromSeq ? { ...event.details, amount: 999 } : event.details
    const hash = hashEvent({ ...event, details, prevHash })
    updates.push(`update audit_events set details = '${JSON.stringify(details).replaceAll("'", "''")}'::jsonb, prev_hash = '${prevHash}', hash = '${hash}' where seq = ${event.seq};`)
    prevHash = hash
  }
  await superuser(db, updates.join('\n'))
  await rewindHead(db)
}

/** The attacker removes the checkpoint and its event, renumbers nothing, recomputes the chain from event 3. */
async function eraseCheckpoint(db: Database, world: World) {
  const { rows } = await db.executeSql(`select seq::int as seq from audit_events where action = 'audit.checkpoint.created'`)
  const eventSeq = Number(rows[0]?.seq)
  // Events after the checkpoint event move down one place, so the sequence has no gap.
  await superuser(db, `delete from audit_checkpoints where id = ${world.checkpoint.id};
    delete from audit_events where seq = ${eventSeq};
    update audit_events set seq = 1 - seq where seq > ${eventSeq};
    update audit_events set seq = -seq where seq < 0`)
  await rewriteFrom(db, 3)
}

/** What an auditor holding the exported checkpoint does: openssl on the signature, then the pinned event's hash. */
async function offlineCheck(db: Database, checkpoint: CheckpointExport): Promise<ChainVerdict & { offline: string }> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'vanthu-drill-'))
  try {
    writeFileSync(path.join(work, 'statement.json'), checkpoint.statement)
    writeFileSync(path.join(work, 'checkpoint.p7s'), Buffer.from(checkpoint.signature, 'base64'))
    writeFileSync(path.join(work, 'audit-key.pem'), checkpoint.certificate)
    const run = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'checkpoint.p7s', '-content', 'statement.json', '-CAfile', 'audit-key.pem', '-out', '/dev/null'], { cwd: work, encoding: 'utf8' })
    const signed = run.status === 0 ? 'openssl: signature ok' : run.error ? 'openssl missing' : 'openssl: signature FAILED'
    const { rows } = await db.executeSql('select hash from audit_events where seq = $1', [checkpoint.chainSeq])
    const now = rows[0]?.hash as string | undefined
    const holds = now === checkpoint.chainHash
    const ok = run.status === 0 && holds
    return { ok, checked: 0, firstBrokenSeq: holds ? null : checkpoint.chainSeq, offline: `${signed}; event ${checkpoint.chainSeq} ${holds ? 'matches' : 'differs'}` }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function eventOf(row: Record<string, unknown>) {
  return {
    seq: Number(row.seq),
    occurredAt: new Date(row.occurred_at as string),
    actor: row.actor as string,
    action: row.action as string,
    targetType: row.target_type as string,
    targetId: row.target_id as string | null,
    details: row.details as Record<string, unknown>,
    prevHash: row.prev_hash as string,
  }
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name)
  return at >= 0 ? process.argv[at + 1] : undefined
}
