import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { notifications, recordFiles } from '../../src/platform/db/schema/index.ts'
import { seedRecords } from '../../scripts/lib/seed-records.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { incomingRegistrar } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

describe('Records demo data (seed:demo)', () => {
  let t: TestApp
  let org: Organisation
  beforeAll(async () => {
    t = await startTestApp(pgliteDriver)
    org = await seedOrganisation(t.platform, t.app)
    const register = await incomingRegistrar(t.app, org.users.clerk.headers)
    for (let i = 0; i < 8; i++) await register()
  })
  afterAll(async () => t?.close())

  it('GIVEN the demo users and documents WHEN the records seed runs twice THEN open, transferred, held and expired hồ sơ exist once', async () => {
    expect(await seedRecords(t.platform)).toMatch(/file plans/)
    expect(await seedRecords(t.platform)).toMatch(/already exist/)
    const files = await t.platform.database.db.select().from(recordFiles)
    const statuses = files.map((f) => f.status).sort()
    expect(statuses).toEqual(expect.arrayContaining(['open', 'transferred', 'closed']))
    const held = (await t.app.inject({ url: '/api/records/files?held=true', headers: org.users.archivist.headers })).json()
    expect(held).toHaveLength(1)
    const due = (await t.app.inject({ url: '/api/records/disposition/due', headers: org.users.archivist.headers })).json()
    expect(due.map((d: { file: { notation: string } }) => d.file.notation)).toEqual(['05.VP'])
    const lastYears = files.find((f) => f.notation === '01.VP' && f.year === new Date().getFullYear() - 1)
    expect(lastYears?.status).toBe('open')
    const reminded = await t.platform.database.db.select().from(notifications).where(eq(notifications.kind, 'records.year-end'))
    expect(reminded.map((n) => n.userId).sort()).toEqual([org.users.clerk.id, org.users.archivist.id].sort())
    expect(reminded[0]!.body).toContain(lastYears!.fileCode)
  })
})
