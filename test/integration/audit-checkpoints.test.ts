import { randomBytes } from 'node:crypto'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { appendAuditEvent, verifyAuditChain } from '../../src/audit/audit.service.ts'
import { GENESIS_HASH, hashEvent } from '../../src/audit/audit-chain.ts'
import { generateAuditKey, type StoredAuditKey } from '../../src/audit/checkpoints/audit-key.ts'
import { insertAuditKey } from '../../src/audit/checkpoints/checkpoints.repository.ts'
import { createCheckpoint, listCheckpointExports } from '../../src/audit/checkpoints/checkpoints.service.ts'
import { SecretBox } from '../../src/auth/secrets.ts'
import type { Database } from '../../src/platform/db/database.ts'
import { DRIVERS, type TestDatabase } from '../helpers/databases.ts'

/**
 * Issue 13 item 2(b): someone who owns the database (a superuser switching the append-only triggers off)
 * rewrites the chain consistently, so the hash chain alone verifies ok; the signed checkpoints catch it.
 */
const secretBox = new SecretBox(randomBytes(32))
let auditKey: StoredAuditKey

beforeAll(() => {
  auditKey = generateAuditKey(secretBox, 'Ủy ban nhân dân xã Thử Nghiệm').stored
})

describe.each(DRIVERS)('audit checkpoints on $name', (driver) => {
  let testDb: TestDatabase | undefined
  let database: Database

  /** A fresh database with `events` events, the audit key in place, and a checkpoint after `checkpointAt` of them. */
  async function chainWithCheckpoint(events: number, checkpointAt: number) {
    testDb = await driver.open()
    database = testDb.database
    await database.db.transaction((tx) => insertAuditKey(tx, auditKey))
    const deps = { database, secretBox }
    let checkpoint: Awaited<ReturnType<typeof createCheckpoint>> | undefined
    for (let i = 1; i <= events; i++) {
      await append(i)
      if (i === checkpointAt) checkpoint = await createCheckpoint(deps, { actor: 'user:admin' })
    }
    if (!checkpoint || !('created' in checkpoint)) throw new Error('no checkpoint made')
    return checkpoint.created
  }
  const append = (i: number) =>
    database.db.transaction((tx) => appendAuditEvent(tx, { actor: 'user:test' }, { action: 'test.event', targetType: 'test', targetId: `t${i}`, details: { i, name: 'Nguyễn Văn Đức' } }))
  const verify = () => verifyAuditChain(database, { secretBox, batchSize: 7 })
  const tamper = async (text: string, values?: unknown[]) => {
    const tables = ['audit_events', 'audit_head', 'audit_checkpoints', 'audit_signing_keys']
    await database.executeSql(tables.map((t) => `alter table ${t} disable trigger user;`).join(' '))
    try {
      return await database.executeSql(text, values)
    } finally {
      await database.executeSql(tables.map((t) => `alter table ${t} enable trigger user;`).join(' '))
    }
  }
  /** Rewinds the head onto the event now last, as the attacker would after cutting the tail. */
  const rewindHead = () =>
    tamper(`update audit_head set last_seq = (select max(seq) from audit_events),
      last_hash = (select hash from audit_events where seq = (select max(seq) from audit_events))`)

  /** Recomputes every hash from `fromSeq` on, after changing that event: a consistent rewritten chain. */
  async function rewriteFrom(fromSeq: number) {
    const { rows } = await database.executeSql('select * from audit_events where seq >= $1 order by seq', [fromSeq])
    let prevHash = (await database.executeSql('select hash from audit_events where seq = $1', [fromSeq - 1])).rows[0]?.hash as string ?? GENESIS_HASH
    for (const row of rows) {
      const event = {
        seq: Number(row.seq),
        occurredAt: new Date(row.occurred_at as string),
        actor: row.actor as string,
        action: row.action as string,
        targetType: row.target_type as string,
        targetId: row.target_id as string | null,
        details: Number(row.seq) === fromSeq ? { ...(row.details as object), forged: true } : (row.details as Record<string, unknown>),
        prevHash,
      }
      const hash = hashEvent(event)
      await tamper('update audit_events set details = $1::jsonb, prev_hash = $2, hash = $3 where seq = $4', [JSON.stringify(event.details), prevHash, hash, event.seq])
      prevHash = hash
    }
    await rewindHead()
  }

  afterEach(async () => {
    await testDb?.dispose()
    testDb = undefined
  })

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN a chain with a checkpoint WHEN nothing was touched THEN verify is ok and compared it; the checkpoint is in the chain and exported', async () => {
      const checkpoint = await chainWithCheckpoint(12, 10)
      expect(checkpoint).toMatchObject({ id: 1, chainSeq: 10, keyFingerprint: auditKey.fingerprint, timestampToken: null })
      expect(await verify()).toEqual({ ok: true, checked: 13, firstBrokenSeq: null, checkpoints: 1 })
      const { rows } = await database.executeSql(`select seq::int as seq, action, target_id from audit_events where action like 'audit.%'`)
      expect(rows).toEqual([{ seq: 11, action: 'audit.checkpoint.created', target_id: '1' }])
      const exported = await listCheckpointExports(database, 0, 10)
      expect(exported).toEqual([{ ...checkpoint, certificate: auditKey.certificate }])
    })

    it('GIVEN a checkpoint at event 10 WHEN the last events are deleted and the head rewound to event 8 THEN checkpoint-mismatch names the checkpoint', async () => {
      await chainWithCheckpoint(14, 10)
      await tamper('delete from audit_events where seq > 8')
      await rewindHead()
      expect(await verifyAuditChain(database, { secretBox, batchSize: 7 })).toEqual({
        ok: false,
        checked: 8,
        firstBrokenSeq: 10,
        reason: 'checkpoint-mismatch',
        checkpointId: 1,
      })
    })

    it('GIVEN a checkpoint at event 10 WHEN every hash is recomputed from event 4 on THEN the chain is consistent but checkpoint-mismatch names the checkpoint', async () => {
      await chainWithCheckpoint(14, 10)
      await rewriteFrom(4)
      expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 10, reason: 'checkpoint-mismatch', checkpointId: 1 })
    })

    it('GIVEN a checkpoint at event 10 WHEN only events after it are rewritten THEN the checkpoint still holds (a rewrite after the last checkpoint is beyond its reach)', async () => {
      await chainWithCheckpoint(14, 10)
      await rewriteFrom(13)
      expect(await verify()).toEqual({ ok: true, checked: 15, firstBrokenSeq: null, checkpoints: 1 })
    })

    it('GIVEN a key row whose sealed key does not open here WHEN it signs a proper checkpoint THEN checkpoint-invalid unknown-key', async () => {
      await chainWithCheckpoint(5, 5)
      const stranger = new SecretBox(randomBytes(32))
      const own = generateAuditKey(stranger, 'attacker')
      await tamper('insert into audit_signing_keys (fingerprint, certificate, sealed_private_key, created_at) values ($1, $2, $3, now() + interval \'1 day\')', [own.stored.fingerprint, own.stored.certificate, own.stored.sealedPrivateKey])
      await createCheckpoint({ database, secretBox: stranger }, { actor: 'user:attacker' })
      expect(await verify()).toEqual({ ok: false, checked: 0, firstBrokenSeq: null, reason: 'checkpoint-invalid', checkpointId: 2, checkpointProblem: 'unknown-key' })
    })

    it('GIVEN two checkpoints WHEN the newest checkpoint row is deleted THEN checkpoint-missing: its event in the chain has no row', async () => {
      await chainWithCheckpoint(6, 3)
      await createCheckpoint({ database, secretBox }, { actor: 'user:admin' })
      expect(await verify()).toMatchObject({ ok: true, checkpoints: 2 })
      await tamper('delete from audit_checkpoints where id = 2')
      expect(await verify()).toMatchObject({ ok: false, reason: 'checkpoint-missing', checkpointId: 2, firstBrokenSeq: 8 })
    })

    it('GIVEN a checkpoint WHEN its statement is edited to pin the rewritten hash THEN checkpoint-invalid (the signature no longer covers it)', async () => {
      const checkpoint = await chainWithCheckpoint(12, 10)
      await rewriteFrom(4)
      const { rows } = await database.executeSql('select hash from audit_events where seq = 10')
      const newHash = rows[0]!.hash as string
      await tamper('update audit_checkpoints set chain_hash = $1::text, statement = replace(statement, $2::text, $1::text) where id = 1', [newHash, checkpoint.chainHash])
      expect(await verify()).toMatchObject({ ok: false, reason: 'checkpoint-invalid', checkpointId: 1, checkpointProblem: 'signature-invalid' })
    })

    it('GIVEN the scheduled run WHEN nothing but the last checkpoint happened since THEN it is skipped; after a new event THEN a new checkpoint', async () => {
      await chainWithCheckpoint(3, 3)
      const deps = { database, secretBox }
      expect(await createCheckpoint(deps, { actor: 'job:audit.checkpoint' }, { onlyIfChanged: true })).toEqual({ skipped: 'unchanged', lastCheckpointId: 1 })
      await append(4)
      const next = await createCheckpoint(deps, { actor: 'job:audit.checkpoint' }, { onlyIfChanged: true })
      expect(next).toMatchObject({ created: { id: 2, chainSeq: 5 } })
      expect(await verify()).toMatchObject({ ok: true, checkpoints: 2 })
    })
  })
})
