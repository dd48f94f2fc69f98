import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Database, openDatabase, resultRows } from '../../src/platform/db/database.ts'
import { agencies } from '../../src/platform/db/schema/index.ts'
import { postgresDriver, type TestDatabase } from '../helpers/databases.ts'

/**
 * On PostgreSQL every drizzle query runs as a named prepared statement (parsed once per connection), with
 * a custom plan for every execution. The cache must survive schema changes (restore, migrations).
 */
describe.skipIf(!postgresDriver.available)('prepared statements on postgres', () => {
  let testDb: TestDatabase
  /** One connection, so every query below reuses the statements the earlier ones prepared. */
  let single: Database

  beforeAll(async () => {
    testDb = await postgresDriver.open()
    single = await openDatabase({ url: testDb.url!, migrate: false, poolSize: 1 })
  })
  afterAll(async () => {
    await single?.close()
    await testDb?.dispose()
  })

  const agencyNamed = (name: string) => single.db.select().from(agencies).where(eq(agencies.name, name))

  it('GIVEN the same query run twice WHEN the connection lists its statements THEN it was prepared once and planned afresh each time', async () => {
    await agencyNamed('Sở Nội vụ')
    await agencyNamed('Sở Tài chính')
    const [prepared] = resultRows<{ n: number }>(
      await single.db.execute(
        sql`select count(*)::int as n from pg_prepared_statements where statement like 'select %from "agencies" where "agencies"."name" = $1'`,
      ),
    )
    expect(prepared?.n).toBe(1)
    const [mode] = resultRows<{ plan_cache_mode: string }>(await single.db.execute(sql`show plan_cache_mode`))
    expect(mode?.plan_cache_mode).toBe('force_custom_plan')
  })

  it('GIVEN a prepared statement WHEN its table changes shape (a restore, a migration) THEN the same query still answers, with the new column', async () => {
    await single.db.insert(agencies).values({ name: 'Sở Nội vụ', abbreviation: 'SNV' })
    const everything = async () => resultRows(await single.db.execute(sql`select * from ${agencies} where name = ${'Sở Nội vụ'}`))
    expect(Object.keys((await everything())[0]!)).not.toContain('probe_note')
    await single.executeSql('alter table agencies add column probe_note text')
    try {
      expect(Object.keys((await everything())[0]!)).toContain('probe_note')
      expect((await agencyNamed('Sở Nội vụ'))[0]?.abbreviation).toBe('SNV')
    } finally {
      await single.executeSql('alter table agencies drop column probe_note')
    }
    await expect(agencyNamed('Sở Tài chính')).resolves.toBeDefined()
  })

  it('GIVEN a transaction WHEN its queries run THEN they are prepared on its connection too, and a failed one rolls back', async () => {
    await expect(
      single.db.transaction(async (tx) => {
        await tx.insert(agencies).values({ name: 'Cơ quan thử', abbreviation: 'CQT' })
        await tx.execute(sql`select 1/0`)
      }),
    ).rejects.toThrow(/Failed query: select 1\/0/)
    expect(await agencyNamed('Cơ quan thử')).toEqual([])
  })

  it('GIVEN DATABASE_PREPARED_STATEMENTS=false (a transaction-mode pooler) WHEN queries run THEN nothing is prepared', async () => {
    const unprepared = await openDatabase({ url: testDb.url!, migrate: false, poolSize: 1, preparedStatements: false })
    try {
      await unprepared.db.select().from(agencies).where(eq(agencies.name, 'Sở Nội vụ'))
      await unprepared.db.select().from(agencies).where(eq(agencies.name, 'Sở Tài chính'))
      const [prepared] = resultRows<{ n: number }>(
        await unprepared.db.execute(sql`select count(*)::int as n from pg_prepared_statements`),
      )
      expect(prepared?.n).toBe(0)
    } finally {
      await unprepared.close()
    }
  })
})
