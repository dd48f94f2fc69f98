import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/platform/db/database.ts'
import { DRIVERS, type TestDatabase } from '../helpers/databases.ts'

/**
 * executeSql runs pg-boss's scripts, some of which hold BEGIN … COMMIT. A script that fails half-way
 * must not leave its transaction open on the connection for the next caller.
 */
describe.each(DRIVERS)('executeSql scripts on $name', (driver) => {
  let testDb: TestDatabase
  /** One connection only, so the next query surely reuses the connection the failed script ran on. */
  let single: Database

  beforeAll(async () => {
    if (!driver.available) return
    testDb = await driver.open()
    single = testDb.url
      ? await openDatabase({ url: testDb.url, migrate: false, poolSize: 1 })
      : testDb.database
    await single.executeSql('create table script_probe (n int primary key)')
  })
  afterAll(async () => {
    if (single && single !== testDb?.database) await single.close()
    await testDb?.dispose()
  })

  it.skipIf(!driver.available)(
    'GIVEN a script that fails inside its BEGIN WHEN the next statement runs THEN it runs outside any transaction and the failed script left no row',
    async () => {
      await expect(
        single.executeSql(
          'begin; insert into script_probe values (1); insert into script_probe values (1); commit;',
        ),
      ).rejects.toThrow(/duplicate key/)
      const after = await single.executeSql('select count(*)::int as n from script_probe')
      expect(after.rows[0]).toEqual({ n: 0 })
      await single.executeSql('begin; insert into script_probe values (2); commit;')
      expect((await single.executeSql('select n from script_probe')).rows).toEqual([{ n: 2 }])
    },
  )
})
