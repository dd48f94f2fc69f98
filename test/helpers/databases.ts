import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import postgres from 'postgres'
import { inject } from 'vitest'
import { type Database, openDatabase } from '../../src/platform/db/database.ts'

/** PostgreSQL server for the tests; CI always sets it. Without it the PostgreSQL cases report as skipped. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL

export interface TestDatabase {
  database: Database
  /** The connection string, for PostgreSQL databases (to open a second, independent pool). */
  url?: string
  dispose(): Promise<void>
}

export interface TestDriver {
  name: 'pglite' | 'postgres'
  /** false = the suite for this driver is skipped (and says so). */
  available: boolean
  open(): Promise<TestDatabase>
}

export const pgliteDriver: TestDriver = {
  name: 'pglite',
  available: true,
  async open() {
    const dump = await readFile(inject('pgliteDump'))
    const database = await openDatabase({ loadDataDir: new Blob([dump]) })
    return { database, dispose: () => database.close() }
  },
}

export const postgresDriver: TestDriver = {
  name: 'postgres',
  available: Boolean(TEST_DATABASE_URL),
  async open() {
    if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set')
    const name = `vanthu_test_${process.pid}_${randomBytes(4).toString('hex')}`
    const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    const url = new URL(TEST_DATABASE_URL)
    url.pathname = `/${name}`
    const database = await openDatabase({ url: url.toString(), poolSize: 20 })
    return {
      database,
      url: url.toString(),
      async dispose() {
        await database.close()
        await admin.unsafe(`drop database if exists ${name} with (force)`)
        await admin.end()
      },
    }
  },
}

/** Both drivers: every database test runs on PGlite and on the real PostgreSQL server. */
export const DRIVERS = [pgliteDriver, postgresDriver] as const
