import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditRoleSetupSql } from '../../src/audit/audit-roles.ts'
import { appendAuditEvent, verifyAuditChain } from '../../src/audit/audit.service.ts'
import { createCheckpoint } from '../../src/audit/checkpoints/checkpoints.service.ts'
import { SecretBox } from '../../src/auth/secrets.ts'
import { type Database, openDatabase } from '../../src/platform/db/database.ts'
import { DRIVERS, postgresDriver, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts'

describe.each(DRIVERS)('audit chain on $name', (driver) => {
  let testDb: TestDatabase
  let database: Database

  beforeAll(async () => {
    if (!driver.available) return
    testDb = await driver.open()
    database = testDb.database
  })
  afterAll(async () => testDb?.dispose())

  const append = (action: string, details: Record<string, unknown> = {}) =>
    database.db.transaction((tx) =>
      appendAuditEvent(tx, { actor: 'user:test', ip: '127.0.0.1' }, { action, targetType: 'test', targetId: 't1', details }),
    )
  const execute = (text: string) => database.executeSql(text)
  /**
   * What someone who owns the database can still do: switch the append-only triggers off, change rows,
   * switch them back on. Verification (and the checkpoints) must catch what this leaves behind.
   */
  const tamper = (text: string, values?: unknown[]) =>
    database.executeSql(
      `alter table audit_events disable trigger user; alter table audit_head disable trigger user;`,
    ).then(async () => {
      try {
        return await database.executeSql(text, values)
      } finally {
        await database.executeSql('alter table audit_events enable trigger user; alter table audit_head enable trigger user;')
      }
    })

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN an empty chain WHEN verified THEN it is ok with nothing checked', async () => {
      expect(await verifyAuditChain(database)).toEqual({ ok: true, checked: 0, firstBrokenSeq: null, checkpoints: 0 })
    })

    it('GIVEN 40 concurrent writers WHEN they append THEN seqs are 1..40 with no fork and the chain verifies', async () => {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => append('test.concurrent', { i, name: 'Nguyễn Văn Đức', nested: { b: 2, a: 1 } })),
      )
      const { rows } = await execute('select seq, prev_hash, hash from audit_events order by seq')
      expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
      const prevHashes = new Set(rows.map((row) => row.prev_hash))
      expect(prevHashes.size).toBe(40)
      expect(await verifyAuditChain(database)).toEqual({ ok: true, checked: 40, firstBrokenSeq: null, checkpoints: 0 })
    })

    it('GIVEN a transaction that rolls back WHEN it had appended an event THEN the event is gone with it', async () => {
      await expect(
        database.db.transaction(async (tx) => {
          await appendAuditEvent(tx, { actor: 'user:test' }, { action: 'test.rollback', targetType: 'test' })
          throw new Error('change failed')
        }),
      ).rejects.toThrow('change failed')
      const verdict = await verifyAuditChain(database)
      expect(verdict).toEqual({ ok: true, checked: 40, firstBrokenSeq: null, checkpoints: 0 })
    })

    it('GIVEN the trail WHEN the service connection tries to update, delete or truncate events, or to rewind the head THEN each is refused and the chain is untouched', async () => {
      const attempts = [
        `update audit_events set action = 'test.forged' where seq = 3`,
        'delete from audit_events where seq >= 39',
        'truncate audit_events',
        'update audit_head set last_seq = 38, last_hash = (select hash from audit_events where seq = 38)',
        `update audit_head set last_seq = 41, last_hash = repeat('b', 64)`,
        'delete from audit_head',
      ]
      for (const attempt of attempts) {
        await expect(execute(attempt), attempt).rejects.toThrow(/append-only|forward only/)
      }
      expect(await verifyAuditChain(database)).toEqual({ ok: true, checked: 40, firstBrokenSeq: null, checkpoints: 0 })
      await append('test.after-refusals')
      expect((await verifyAuditChain(database)).checked).toBe(41)
      await tamper('delete from audit_events where seq = 41; update audit_head set last_seq = 40, last_hash = (select hash from audit_events where seq = 40)')
    })

    it('GIVEN writers appending all the time WHEN the chain is verified again and again meanwhile THEN no verification reports tampering', async () => {
      let writing = true
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; i < 50; i++) await append('test.background', { w, i })
      })
      const done = Promise.all(writers).finally(() => {
        writing = false
      })
      const verdicts = []
      // Small batches: many statements per walk, as on a long chain, so appends land between them.
      while (writing) verdicts.push(await verifyAuditChain(database, { batchSize: 5 }))
      await done
      expect(verdicts.filter((v) => !v.ok)).toEqual([])
      expect(verdicts.length).toBeGreaterThan(0)
      const final = await verifyAuditChain(database)
      expect(final.ok).toBe(true)
      await tamper(`delete from audit_events where action = 'test.background'`)
      const { rows } = await execute('select max(seq)::int as seq, (select hash from audit_events where seq = (select max(seq) from audit_events)) as hash from audit_events')
      await tamper('update audit_head set last_seq = $1, last_hash = $2', [rows[0]!.seq, rows[0]!.hash])
      expect((await verifyAuditChain(database)).ok).toBe(true)
    })

    it('GIVEN a stored event whose details were changed WHEN verified THEN that event is named', async () => {
      await tamper(`update audit_events set details = jsonb_set(details, '{i}', '999') where seq = 17`)
      expect(await verifyAuditChain(database)).toMatchObject({ ok: false, checked: 16, firstBrokenSeq: 17, reason: 'hash-mismatch' })
    })

    it('GIVEN the event restored and another one deleted WHEN verified THEN the missing seq is named', async () => {
      await restoreChain()
      const { rows } = await execute('select * from audit_events where seq = 23')
      await tamper('delete from audit_events where seq = 23')
      expect(await verifyAuditChain(database)).toMatchObject({ ok: false, checked: 22, firstBrokenSeq: 23, reason: 'missing-event' })
      await database.executeSql(
        'insert into audit_events select * from jsonb_populate_record(null::audit_events, $1::jsonb)',
        [JSON.stringify(rows[0])],
      )
      expect((await verifyAuditChain(database)).ok).toBe(true)
    })

    it('GIVEN two events swapped in place WHEN verified THEN the first moved one is named', async () => {
      await swap(30, 31)
      expect(await verifyAuditChain(database)).toMatchObject({ ok: false, firstBrokenSeq: 30 })
      await swap(30, 31)
      expect((await verifyAuditChain(database)).ok).toBe(true)
    })

    it('GIVEN the newest events cut off the end WHEN verified THEN the first missing seq is named', async () => {
      const { rows } = await execute('select * from audit_events where seq >= 39 order by seq')
      await tamper('delete from audit_events where seq >= 39')
      expect(await verifyAuditChain(database)).toMatchObject({ ok: false, checked: 38, firstBrokenSeq: 39, reason: 'missing-event' })
      for (const row of rows) {
        await database.executeSql(
          'insert into audit_events select * from jsonb_populate_record(null::audit_events, $1::jsonb)',
          [JSON.stringify(row)],
        )
      }
      expect((await verifyAuditChain(database)).ok).toBe(true)
    })

    it('GIVEN a rewritten event with a recomputed hash WHEN verified THEN the next link gives it away', async () => {
      await tamper(`update audit_events set action = 'test.forged', hash = repeat('a', 64) where seq = 5`)
      expect(await verifyAuditChain(database)).toMatchObject({ ok: false, firstBrokenSeq: 5 })
    })

    async function restoreChain() {
      const { rows } = await execute(`select details from audit_events where seq = 17`)
      const details = rows[0]?.details as Record<string, unknown>
      details.i = await findOriginalIndex()
      await tamper('update audit_events set details = $1::jsonb where seq = 17', [JSON.stringify(details)])
      expect((await verifyAuditChain(database)).ok).toBe(true)
    }

    /** The concurrent writers' indexes are a permutation of 0..39: the tampered one is the one missing. */
    async function findOriginalIndex(): Promise<number> {
      const { rows } = await execute(`select (details->>'i')::int as i from audit_events where seq <> 17`)
      const used = new Set(rows.map((row) => Number(row.i)))
      return Array.from({ length: 40 }, (_, i) => i).find((i) => !used.has(i))!
    }

    async function swap(a: number, b: number) {
      await tamper(`
        update audit_events e set
          occurred_at = o.occurred_at, actor = o.actor, action = o.action, target_type = o.target_type,
          target_id = o.target_id, details = o.details, prev_hash = o.prev_hash, hash = o.hash
        from audit_events o
        where (e.seq = ${a} and o.seq = ${b}) or (e.seq = ${b} and o.seq = ${a})`)
    }
  })
})

describe.skipIf(!postgresDriver.available)('the audit trail under the least-privilege roles (PostgreSQL)', () => {
  let testDb: TestDatabase
  let asService: Database
  const serviceRole = `vt_service_${randomBytes(4).toString('hex')}`

  beforeAll(async () => {
    testDb = await postgresDriver.open()
    const { database } = testDb
    // The service's own role, with the rights an owner of the other tables would have.
    await database.executeSql(`create role ${serviceRole} login; grant all on schema public to ${serviceRole};
      grant all on all tables in schema public to ${serviceRole}`)
    for (const statement of auditRoleSetupSql(serviceRole)) await database.executeSql(statement)
    const url = new URL(testDb.url!)
    url.username = serviceRole
    asService = await openDatabase({ url: url.toString(), poolSize: 2, migrate: false })
  })
  afterAll(async () => {
    await asService?.close()
    await testDb?.dispose()
    const admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} })
    await admin.unsafe(`drop role if exists ${serviceRole}`)
    await admin.end()
  })

  it('GIVEN db:roles applied WHEN the service appends THEN it works; WHEN it updates, deletes, switches triggers off or replaces their function THEN PostgreSQL refuses', async () => {
    await asService.db.transaction((tx) => appendAuditEvent(tx, { actor: 'user:test' }, { action: 'test.least-privilege', targetType: 'test' }))
    expect(await verifyAuditChain(asService)).toMatchObject({ ok: true })
    // Checkpoints (audit key on first use, checkpoint row, their events) need no more than appending.
    const secretBox = new SecretBox(randomBytes(32))
    expect(await createCheckpoint({ database: asService, secretBox }, { actor: 'user:admin' })).toMatchObject({ created: { id: 1 } })
    expect(await verifyAuditChain(asService, { secretBox })).toMatchObject({ ok: true, checkpoints: 1 })
    for (const attempt of [
      `update audit_events set action = 'x'`,
      'delete from audit_events',
      'truncate audit_events',
      'delete from audit_checkpoints',
      'delete from audit_signing_keys',
      'alter table audit_events disable trigger user',
      'alter table audit_checkpoints disable trigger user',
      'drop trigger audit_events_append_only on audit_events',
      `create or replace function audit_refuse_change() returns trigger language plpgsql as $$ begin return old; end $$`,
    ]) {
      await expect(asService.executeSql(attempt), attempt).rejects.toMatchObject({ code: expect.stringMatching(/^42501$/) })
    }
  })
})
