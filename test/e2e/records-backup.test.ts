import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { buffer } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentFiles, documents, registerCounters } from '../../src/platform/db/schema/index.ts'
import { backupTo, restoreFrom } from '../../src/records/backup/backup.ts'
import { ADMIN_PASSWORD, type Organisation, seedOrganisation, tokenFor } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { incomingRegistrar } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

describe.each(DRIVERS)('Records: backup and restore on $name', (driver) => {
  let source: TestApp
  let target: TestApp | undefined
  let org: Organisation
  let dir: string

  beforeAll(async () => {
    if (!driver.available) return
    source = await startTestApp(driver)
    org = await seedOrganisation(source.platform, source.app)
    dir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-backup-'))
  })
  afterAll(async () => {
    await target?.close()
    await source?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it.skipIf(!driver.available)('GIVEN an instance being written to WHEN it is backed up and restored elsewhere THEN every document has its bytes, the audit chain verifies and the register numbers agree', async () => {
    const register = await incomingRegistrar(source.app, org.users.clerk.headers)
    for (let i = 0; i < 4; i++) await register()
    // Registrations keep coming while the backup runs.
    let writing = true
    const writer = (async () => {
      let n = 0
      while (writing && n < 20) {
        await register()
        n++
      }
      return n
    })()
    const manifest = await backupTo(source.platform, dir)
    writing = false
    const written = await writer
    expect(written).toBeGreaterThan(0)
    expect(manifest.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['public.documents', 'public.audit_events', 'public.record_files', 'drizzle.__drizzle_migrations']))

    target = await startTestApp(driver)
    const restored = await restoreFrom(target.platform, dir)
    expect(restored.blobs).toBe(manifest.blobs.length)

    const docs = await target.platform.database.db.select().from(documents)
    expect(docs.length).toBe(manifest.tables.find((t) => t.name === 'public.documents')!.rows)
    expect(docs.length).toBeGreaterThanOrEqual(4)
    const files = await target.platform.database.db.select().from(documentFiles)
    for (const file of files) {
      const bytes = await buffer(await target.platform.blobStore.get(file.blobKey))
      expect(createHash('sha256').update(bytes).digest('hex'), file.id).toBe(file.sha256)
    }
    // The restored register is consistent: its counter is the highest số đến, numbers 1..n without gaps.
    const [counter] = await target.platform.database.db.select().from(registerCounters)
    const numbers = docs.map((d) => d.arrivalNumber).filter((n): n is number => n !== null).sort((a, b) => a - b)
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1))
    expect(counter!.lastNumber).toBe(numbers.at(-1))
    const admin = await tokenFor(target.app, 'admin', ADMIN_PASSWORD)
    const verify = await target.app.inject({ url: '/api/audit/verify', headers: admin })
    expect(verify.json()).toMatchObject({ ok: true })
  })
})
