import { chmod, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, documentFiles, notifications } from '../../src/platform/db/schema/index.ts'
import { runsPerDayOf } from '../../src/records/fixity/fixity.job.ts'
import { runFixity } from '../../src/records/fixity/fixity.service.ts'
import { expectProblem } from '../helpers/access-fixtures.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { incomingRegistrar } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

describe.each(DRIVERS)('Records: fixity on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let documentIds: string[]

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    const register = await incomingRegistrar(t.app, org.users.clerk.headers)
    documentIds = [await register(), await register(), await register(), await register()]
  })
  afterAll(async () => t?.close())

  it('GIVEN cron schedules WHEN runs per day are derived THEN each run takes its share of the cycle', () => {
    expect(runsPerDayOf('*/10 * * * *')).toBe(144)
    expect(runsPerDayOf('17 * * * *')).toBe(24)
    expect(runsPerDayOf('0 2 * * *')).toBe(1)
  })

  it.skipIf(!driver.available)('GIVEN a long cycle WHEN one run happens THEN it checks only its share, least recently checked first, and the next run moves on', async () => {
    const first = await runFixity(t.platform, { cycleDays: 3650, runsPerDay: 144, maxMbPerSecond: 50 })
    expect(first).toMatchObject({ blobsChecked: 1, failures: 0 })
    const second = await runFixity(t.platform, { cycleDays: 3650, runsPerDay: 144, maxMbPerSecond: 50 })
    expect(second.blobsChecked).toBe(1)
    const report = (await t.app.inject({ url: '/api/records/fixity', headers: org.users.archivist.headers })).json()
    expect(report.coverage).toMatchObject({ total: 4, checkedInCycle: 2, failing: 0 })
    expect(report.lastRun).toMatchObject({ blobsChecked: 1, failures: 0 })
    expectProblem(await t.app.inject({ url: '/api/records/fixity', headers: org.users.officer.headers }), 403, 'forbidden')
  })

  it.skipIf(!driver.available)('GIVEN a rate limit WHEN everything is checked THEN reading stays under it', async () => {
    const report = await runFixity(t.platform, { cycleDays: 30, runsPerDay: 1, maxMbPerSecond: 1, everything: true })
    expect(report.blobsChecked).toBe(4)
    expect(report.mbPerSecond).toBeLessThanOrEqual(1.1)
  })

  it.skipIf(!driver.available)('GIVEN bytes altered on disk WHEN the fixity check runs THEN the blob is reported, audited and admins and archivists are told', async () => {
    const [stored] = await t.platform.database.db.select().from(documentFiles).where(eq(documentFiles.documentId, documentIds[2]!))
    const blobPath = path.join(t.dataDir, 'blobs', stored!.blobKey)
    await chmod(blobPath, 0o644)
    await writeFile(blobPath, Buffer.from('%PDF-1.4 bit rot'))
    const report = await runFixity(t.platform, { cycleDays: 30, runsPerDay: 1, maxMbPerSecond: 1000, everything: true })
    expect(report).toMatchObject({ blobsChecked: 4, failures: 1 })
    const fixity = (await t.app.inject({ url: '/api/records/fixity', headers: org.users.admin.headers })).json()
    expect(fixity.failing).toEqual([expect.objectContaining({ blobKey: stored!.blobKey, problem: expect.stringMatching(/^size \d+, expected \d+$/) })])
    const [event] = await t.platform.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'fixity.failed'))
    expect(event!.details).toMatchObject({ blobKey: stored!.blobKey })
    const told = await t.platform.database.db.select({ userId: notifications.userId }).from(notifications).where(eq(notifications.kind, 'records.fixity-failed'))
    expect(told.map((n) => n.userId).sort()).toEqual([org.users.admin.id, org.users.archivist.id].sort())
  })
})
