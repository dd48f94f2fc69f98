import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../src/platform/db/database.ts'
import { agencies } from '../../src/platform/db/schema/index.ts'
import { assignNumber, registerFor } from '../../src/registers/registers.service.ts'
import { DRIVERS, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts'

/** Takes one number in its own transaction, as a registration does. */
async function takeNumber(database: Database, agencyId: string, year: number, fail = false): Promise<number> {
  return database.db.transaction(async (tx) => {
    const register = await registerFor(tx, agencyId, 'incoming', false)
    const number = await assignNumber(tx, register, year)
    if (fail) throw new Error(`registration ${number} failed`)
    return number
  })
}

describe.each(DRIVERS)('số đến numbering on $name', (driver) => {
  let testDb: TestDatabase
  let agencyId: string

  beforeAll(async () => {
    if (!driver.available) return
    testDb = await driver.open()
    const [agency] = await testDb.database.db.insert(agencies).values({ name: 'Ủy ban nhân dân tỉnh Hòa Giang', abbreviation: 'UBND' }).returning()
    agencyId = agency!.id
  })
  afterAll(async () => testDb?.dispose())

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN 50 registrations at once WHEN numbered THEN they get exactly 1..50', async () => {
      const numbers = await Promise.all(Array.from({ length: 50 }, () => takeNumber(testDb.database, agencyId, 2026)))
      expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    })

    it('GIVEN a registration that fails after taking a number WHEN the next one comes THEN the number is reused (no gap)', async () => {
      await expect(takeNumber(testDb.database, agencyId, 2026, true)).rejects.toThrow('registration 51 failed')
      expect(await takeNumber(testDb.database, agencyId, 2026)).toBe(51)
    })

    it('GIVEN a new year WHEN the first document of it is registered THEN numbering starts again at 1, and the old year continues', async () => {
      expect(await takeNumber(testDb.database, agencyId, 2027)).toBe(1)
      expect(await takeNumber(testDb.database, agencyId, 2027)).toBe(2)
      expect(await takeNumber(testDb.database, agencyId, 2026)).toBe(52)
    })

    it('GIVEN secret documents WHEN registered THEN they are numbered in a register of their own', async () => {
      const secret = await testDb.database.db.transaction(async (tx) => {
        const register = await registerFor(tx, agencyId, 'incoming', true)
        return { register, number: await assignNumber(tx, register, 2026) }
      })
      expect(secret.register.name).toBe('Sổ văn bản đến mật')
      expect(secret.number).toBe(1)
    })
  })
})

describe.skipIf(!TEST_DATABASE_URL)('số đến numbering across processes on PostgreSQL', () => {
  let testDb: TestDatabase
  let second: Database
  let agencyId: string

  beforeAll(async () => {
    testDb = await DRIVERS[1].open()
    // A second, independent connection pool to the same database: what a second server process has.
    second = await openDatabase({ url: testDb.url!, migrate: false, poolSize: 10 })
    const [agency] = await testDb.database.db.insert(agencies).values({ name: 'Sở Nội vụ', abbreviation: 'SNV' }).returning()
    agencyId = agency!.id
  })
  afterAll(async () => {
    await second?.close()
    await testDb?.dispose()
  })

  it('GIVEN two pools registering 25 documents each at once WHEN numbered THEN together they get exactly 1..50', async () => {
    const numbers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => takeNumber(i % 2 === 0 ? testDb.database : second, agencyId, 2026)),
    )
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
  })
})
