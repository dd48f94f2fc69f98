import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { sql } from 'drizzle-orm'
import { type Database, resultRows, type Tx } from '../../platform/db/database.ts'
import type { BlobStore } from '../../storage/blob-store.ts'

/**
 * Backup and restore (ND30 Phụ lục VI (5)), generic over every table of every schema the service owns
 * (public, drizzle, pgboss — including tables other capabilities add later): one JSON line per row, read
 * in one repeatable-read snapshot so the copy is consistent while the service keeps writing; then the
 * blobs. Rows are written before blobs are copied and bytes are stored before their row commits, so
 * every blob a backed-up row names is in the copy.
 */

export interface BackupManifest {
  format: 'vanthu-backup-1'
  createdAt: string
  databaseKind: string
  migrations: string[]
  tables: { name: string; columns: string[]; rows: number }[]
  sequences: { name: string; value: number | null }[]
  blobs: { key: string; size: number; sha256: string }[]
}

const qi = (name: string) => `"${name.replace(/"/g, '""')}"`

async function listTables(tx: Tx) {
  return resultRows<{ schema: string; table: string }>(
    await tx.execute(sql`select n.nspname as schema, c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      order by 1, 2`),
  )
}

async function columnsOf(tx: Tx, schema: string, table: string): Promise<string[]> {
  const rows = resultRows<{ column_name: string }>(
    await tx.execute(sql`select column_name from information_schema.columns where table_schema = ${schema} and table_name = ${table} and is_generated = 'NEVER' order by ordinal_position`),
  )
  return rows.map((row) => row.column_name)
}

/** Writes a consistent backup of the database and the blobs into `dir` (which should be empty). */
export async function backupTo(deps: { database: Database; blobStore: BlobStore }, dir: string): Promise<BackupManifest> {
  await mkdir(path.join(dir, 'db'), { recursive: true })
  const manifest: BackupManifest = { format: 'vanthu-backup-1', createdAt: new Date().toISOString(), databaseKind: deps.database.kind, migrations: [], tables: [], sequences: [], blobs: [] }
  const blobKeys = new Set<string>()
  await deps.database.db.transaction(
    async (tx) => {
      for (const { schema, table } of await listTables(tx)) {
        const name = `${schema}.${table}`
        const columns = await columnsOf(tx, schema, table)
        const out = createWriteStream(path.join(dir, 'db', `${name}.jsonl`))
        let rows = 0
        const list = columns.map(qi).join(', ')
        for (let offset = 0; ; offset += 2000) {
          const batch = resultRows<{ row: unknown }>(
            await tx.execute(sql.raw(`select to_jsonb(x) as row from (select ${list} from ${qi(schema)}.${qi(table)} order by 1 limit 2000 offset ${offset}) x`)),
          )
          for (const { row } of batch) out.write(`${JSON.stringify(typeof row === 'string' ? JSON.parse(row) : row)}\n`)
          rows += batch.length
          if (batch.length < 2000) break
        }
        await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
        manifest.tables.push({ name, columns, rows })
      }
      const sequences = resultRows<{ name: string; value: string | number | null }>(
        await tx.execute(sql`select schemaname || '.' || sequencename as name, last_value as value from pg_sequences where schemaname not in ('pg_catalog', 'information_schema')`),
      )
      manifest.sequences = sequences.map((s) => ({ name: s.name, value: s.value === null ? null : Number(s.value) }))
      manifest.migrations = resultRows<{ hash: string }>(await tx.execute(sql`select hash from drizzle.__drizzle_migrations order by id`)).map((r) => r.hash)
      for (const row of resultRows<{ blob_key: string }>(
        await tx.execute(sql.raw(`select distinct blob_key from document_files where destroyed_at is null
          union select inventory_blob_key from record_transfers where inventory_blob_key is not null
          union select receipt_blob_key from record_transfers where receipt_blob_key is not null
          union select certificate_blob_key from record_disposals where certificate_blob_key is not null`)),
      ))
        blobKeys.add(row.blob_key)
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
  for (const key of [...blobKeys].sort()) {
    const target = path.join(dir, 'blobs', key)
    await mkdir(path.dirname(target), { recursive: true })
    const hash = createHash('sha256')
    let size = 0
    const source = await deps.blobStore.get(key)
    source.on('data', (chunk: Buffer) => {
      hash.update(chunk)
      size += chunk.length
    })
    await pipeline(source, createWriteStream(target))
    manifest.blobs.push({ key, size, sha256: hash.digest('hex') })
  }
  await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`)
  return manifest
}

/**
 * Restores a backup into an empty, migrated database (the same or an older set of migrations than
 * this code has) and its blob store: every table's rows with triggers and foreign keys set aside
 * while loading, sequences, then the blobs, each checked against the SHA-256 the backup recorded.
 */
export async function restoreFrom(deps: { database: Database; blobStore: BlobStore }, dir: string): Promise<{ tables: number; rows: number; blobs: number }> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest
  if (manifest.format !== 'vanthu-backup-1') throw new Error(`${dir}: not a vanthu backup`)
  const here = resultRows<{ hash: string }>(await deps.database.db.execute(sql`select hash from drizzle.__drizzle_migrations order by id`)).map((r) => r.hash)
  const unknown = manifest.migrations.filter((hash) => !here.includes(hash))
  if (unknown.length > 0) throw new Error(`The backup has ${unknown.length} migration(s) this code does not know: restore with the version that made it`)
  const [{ users } = { users: 0 }] = resultRows<{ users: number }>(await deps.database.db.execute(sql`select count(*)::int as users from users`))
  if (Number(users) > 0) throw new Error('The target database is not empty (it has users): restore into a new database')
  let rows = 0
  await deps.database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`)
    const existing = new Set((await listTables(tx)).map((t) => `${t.schema}.${t.table}`))
    for (const table of manifest.tables) {
      if (table.name === 'drizzle.__drizzle_migrations' || !existing.has(table.name)) continue
      const [schema, name] = table.name.split('.') as [string, string]
      const target = `${qi(schema)}.${qi(name)}`
      const present = new Set(await columnsOf(tx, schema, name))
      const columns = table.columns.filter((c) => present.has(c)).map(qi).join(', ')
      await tx.execute(sql.raw(`delete from ${target}`))
      const lines = (await readFile(path.join(dir, 'db', `${table.name}.jsonl`), 'utf8')).split('\n').filter(Boolean)
      for (let i = 0; i < lines.length; i += 500) {
        const batch = `[${lines.slice(i, i + 500).join(',')}]`
        await tx.execute(sql`${sql.raw(`insert into ${target} (${columns}) select ${columns} from json_populate_recordset(null::${target}, `)}${batch}${sql.raw('::json)')}`)
      }
      rows += lines.length
    }
    for (const sequence of manifest.sequences) {
      if (sequence.value !== null) await tx.execute(sql`select setval(${sequence.name}, ${sequence.value})`)
    }
  })
  for (const blob of manifest.blobs) {
    const stored = await deps.blobStore.put(createReadStream(path.join(dir, 'blobs', blob.key)))
    if (stored.sha256 !== blob.sha256 || stored.key !== blob.key) throw new Error(`Blob ${blob.key} in the backup is damaged (sha256 ${stored.sha256})`)
  }
  return { tables: manifest.tables.length, rows, blobs: manifest.blobs.length }
}
