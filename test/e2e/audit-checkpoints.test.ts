import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHECKPOINT_JOB, checkpointJob } from '../../src/audit/checkpoints/checkpoint.job.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { hasOpenssl, NO_OPENSSL, openssl, testPki, testPkiFiles } from '../helpers/test-pki.ts'
import { startTestTsa, type TestTsa } from '../helpers/tsa-server.ts'

/**
 * Issue 13 item 2(b) through the API: checkpoints made on demand, timestamped by a TSA, exported, checked
 * offline with the real openssl binary exactly as the README tells an auditor to, and held against a
 * chain rewritten by someone who owns the database.
 */
describe('signed audit checkpoints over HTTP', () => {
  let t: TestApp
  let tsa: TestTsa
  let org: Organisation

  beforeAll(async () => {
    const { tsa: tsaCert, intermediate } = testPki()
    tsa = await startTestTsa(tsaCert, [intermediate])
    t = await startTestApp(pgliteDriver, { env: { SIGNING_TSA_URL: tsa.url, SIGNING_LTV: 'false', AUDIT_CHECKPOINT_CRON: '15 * * * *' } })
    org = await seedOrganisation(t.platform, t.app)
  })
  afterAll(async () => {
    await t?.close()
    await tsa?.close()
  })

  const post = (headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/audit/checkpoints', headers })
  const exported = async () => (await t.app.inject({ url: '/api/audit/checkpoints', headers: org.admin })).json().items

  it('GIVEN a clerk WHEN they ask for a checkpoint or the export THEN 403; GIVEN the admin THEN 201, signed and timestamped, and recorded in the chain', async () => {
    expect((await post(org.users.clerk.headers)).statusCode).toBe(403)
    expect((await t.app.inject({ url: '/api/audit/checkpoints', headers: org.users.clerk.headers })).statusCode).toBe(403)
    const response = await post(org.admin)
    expect(response.statusCode, response.body).toBe(201)
    const { checkpoint } = response.json()
    expect(checkpoint).toMatchObject({ id: 1, timestampToken: expect.any(String), timestampedAt: expect.any(String) })
    expect(JSON.parse(checkpoint.statement)).toEqual({
      chainHash: checkpoint.chainHash,
      chainSeq: checkpoint.chainSeq,
      createdAt: checkpoint.createdAt,
      format: 'vanthu-audit-checkpoint/1',
    })
    expect(await exported()).toEqual([checkpoint])
    const events = (await t.app.inject({ url: '/api/audit/events?targetType=audit-checkpoint', headers: org.admin })).json().items
    expect(events).toMatchObject([{ action: 'audit.checkpoint.created', targetId: '1', details: { chainSeq: checkpoint.chainSeq, timestamped: true } }])
    const keyEvents = (await t.app.inject({ url: '/api/audit/events?targetType=audit-key', headers: org.admin })).json().items
    expect(keyEvents).toMatchObject([{ action: 'audit.key.created', targetId: checkpoint.keyFingerprint }])
    expect(await verify()).toEqual({ ok: true, checked: checkpoint.chainSeq + 1, firstBrokenSeq: null, checkpoints: 1 })
  })

  describe.skipIf(!hasOpenssl)(`offline, with openssl${hasOpenssl ? '' : ` (${NO_OPENSSL})`}`, () => {
    it('GIVEN an exported checkpoint WHEN checked with the README commands THEN openssl verifies signature, key fingerprint and timestamp; a changed statement fails', async () => {
      const [checkpoint] = await exported()
      const work = mkdtempSync(path.join(os.tmpdir(), 'vanthu-checkpoint-'))
      writeFileSync(path.join(work, 'statement.json'), checkpoint.statement)
      writeFileSync(path.join(work, 'checkpoint.p7s'), Buffer.from(checkpoint.signature, 'base64'))
      writeFileSync(path.join(work, 'audit-key.pem'), checkpoint.certificate)
      writeFileSync(path.join(work, 'checkpoint.tst'), Buffer.from(checkpoint.timestampToken, 'base64'))

      const fingerprint = openssl(['x509', '-in', 'audit-key.pem', '-noout', '-fingerprint', '-sha256'], work)
      expect(fingerprint.stdout.split('=')[1]!.trim().replaceAll(':', '').toLowerCase()).toBe(checkpoint.keyFingerprint)
      const cmsArgs = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'checkpoint.p7s', '-content', 'statement.json', '-CAfile', 'audit-key.pem', '-out', '/dev/null']
      const signature = openssl(cmsArgs, work)
      expect(signature.status, signature.output).toBe(0)
      expect(signature.output).toContain('Verification successful')

      const { dir } = await testPkiFiles()
      const stamp = openssl(['ts', '-verify', '-data', 'statement.json', '-in', 'checkpoint.tst', '-token_in', '-CAfile', path.join(dir, 'root.pem')], work)
      expect(stamp.output).toContain('Verification: OK')

      writeFileSync(path.join(work, 'statement.json'), checkpoint.statement.replace(`"chainSeq":${checkpoint.chainSeq}`, `"chainSeq":${checkpoint.chainSeq - 1}`))
      const changed = openssl(cmsArgs, work)
      expect(changed.status).not.toBe(0)
      expect(changed.output).toContain('Verification failure')
      const changedStamp = openssl(['ts', '-verify', '-data', 'statement.json', '-in', 'checkpoint.tst', '-token_in', '-CAfile', path.join(dir, 'root.pem')], work)
      expect(changedStamp.output).toContain('Verification: FAILED')
      rmSync(work, { recursive: true, force: true })
    })
  })

  it('GIVEN the TSA failing WHEN a checkpoint is asked for THEN it is signed without a token and says why', async () => {
    tsa.fault = 'http-500'
    try {
      const response = await post(org.admin)
      expect(response.statusCode, response.body).toBe(201)
      expect(response.json()).toMatchObject({ checkpoint: { id: 2, timestampToken: null, timestampedAt: null }, timestampError: 'tsa-http-status' })
    } finally {
      tsa.fault = undefined
    }
    expect(await verify()).toMatchObject({ ok: true, checkpoints: 2 })
  })

  it('GIVEN a timestamp token moved from another checkpoint WHEN verified THEN checkpoint-invalid (timestamp-invalid); put back THEN ok', async () => {
    const made = (await post(org.admin)).json().checkpoint
    expect(made).toMatchObject({ id: 3, timestampToken: expect.any(String) })
    const database = t.platform.database
    const swapToken = async (token: string) => {
      await database.executeSql('alter table audit_checkpoints disable trigger user')
      await database.executeSql('update audit_checkpoints set timestamp_token = $1 where id = 1', [token])
      await database.executeSql('alter table audit_checkpoints enable trigger user')
    }
    const [first] = await exported()
    await swapToken(made.timestampToken)
    expect(await verify()).toMatchObject({ ok: false, reason: 'checkpoint-invalid', checkpointId: 1, checkpointProblem: 'timestamp-invalid' })
    await swapToken(first.timestampToken)
    expect(await verify()).toMatchObject({ ok: true, checkpoints: 3 })
  })

  it('GIVEN bad paging WHEN the checkpoints are listed THEN 400 problem+json naming the field', async () => {
    const response = await t.app.inject({ url: '/api/audit/checkpoints?limit=0', headers: org.admin })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toContain('application/problem+json')
    expect(response.json().errors[0].field).toBe('limit')
  })

  it('GIVEN the scheduled job WHEN it runs THEN it follows AUDIT_CHECKPOINT_CRON and skips an unchanged chain', async () => {
    const job = checkpointJob(t.platform)
    expect(job).toMatchObject({ name: CHECKPOINT_JOB, cron: '15 * * * *' })
    expect(await job.handler({}, undefined as never)).toEqual({ skipped: 'unchanged', lastCheckpointId: 3 })
  })

  it('GIVEN a superuser who cuts the newest events and rewinds the head below a checkpoint WHEN the chain is verified THEN checkpoint-mismatch names it', async () => {
    const [first] = await exported()
    const database = t.platform.database
    await database.executeSql('alter table audit_events disable trigger user; alter table audit_head disable trigger user')
    await database.executeSql(`delete from audit_events where seq > ${first.chainSeq - 2}`)
    await database.executeSql(`update audit_head set last_seq = ${first.chainSeq - 2}, last_hash = (select hash from audit_events where seq = ${first.chainSeq - 2})`)
    await database.executeSql('alter table audit_events enable trigger user; alter table audit_head enable trigger user')
    expect(await verify()).toEqual({ ok: false, checked: first.chainSeq - 2, firstBrokenSeq: first.chainSeq, reason: 'checkpoint-mismatch', checkpointId: 1 })
  })

  const verify = async () => (await t.app.inject({ url: '/api/audit/verify', headers: org.admin })).json()
})
