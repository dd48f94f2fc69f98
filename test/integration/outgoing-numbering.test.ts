import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assignNumber } from '../../src/outgoing/numbering.service.ts'
import { findOutgoing } from '../../src/outgoing/outgoing.repository.ts'
import type { Database } from '../../src/platform/db/database.ts'
import { documents, registers } from '../../src/platform/db/schema/index.ts'
import { AppError } from '../../src/platform/errors.ts'
import { formatNumber, notationFor } from '../../src/registers/number-books.ts'
import { DRIVERS, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts'
import { type NumberingOrg, numberingOrg, signedOutgoingDocuments } from '../helpers/outgoing-fixtures.ts'

const run = promisify(execFile)
const REPO_ROOT = path.resolve(import.meta.dirname, '../..')

/** Cấp số of one document in its own transaction, as POST /documents/:id/number does. */
function number(database: Database, id: string, issuedDate = '2026-03-02', registerId?: string) {
  return database.db.transaction(async (tx) => {
    const [document] = await tx.select().from(documents).where(eq(documents.id, id)).for('update')
    const outgoing = await findOutgoing(tx, id)
    return assignNumber(tx, document!, outgoing!, { issuedDate, registerId })
  })
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

describe('số văn bản đi: formatting and notation', () => {
  it('GIVEN numbers below and above 10 WHEN printed THEN below 10 they are zero-padded (05), above not (12, 105)', () => {
    expect([1, 5, 9, 10, 12, 105].map(formatNumber)).toEqual(['01', '05', '09', '10', '12', '105'])
  })

  it('GIVEN the book and the document WHEN the notation is made THEN it follows ND30: QĐ-UBND, UBND-VP for a công văn, 2026/QĐ-UBND with the year, SY for a copy, the advisory body’s abbreviation', () => {
    const parts = { agencyAbbreviation: 'UBND', unitAbbreviation: 'VP' }
    const book = { series: 'administrative', notationIssuer: null, notationWithYear: false }
    expect(notationFor(book, { kindCode: 'QĐ', copyForm: null }, parts, 2026)).toBe('QĐ-UBND')
    expect(notationFor(book, { kindCode: null, copyForm: null }, parts, 2026)).toBe('UBND-VP')
    expect(notationFor(book, { kindCode: 'TTr', copyForm: null }, parts, 2026)).toBe('TTr-UBND')
    expect(
      notationFor({ ...book, notationWithYear: true }, { kindCode: 'QĐ', copyForm: null }, parts, 2026),
    ).toBe('2026/QĐ-UBND')
    expect(notationFor({ ...book, series: 'copies' }, { kindCode: 'QĐ', copyForm: 'SY' }, parts, 2026)).toBe(
      'SY',
    )
    expect(notationFor({ ...book, series: 'copies' }, { kindCode: null, copyForm: 'TrS' }, parts, 2026)).toBe(
      'TrS',
    )
    expect(
      notationFor(
        { ...book, series: 'advisory', notationIssuer: 'HĐTĐ' },
        { kindCode: 'TB', copyForm: null },
        parts,
        2026,
      ),
    ).toBe('TB-HĐTĐ')
  })
})

describe.each(DRIVERS)('cấp số on $name', (driver) => {
  let testDb: TestDatabase
  let org: NumberingOrg

  beforeAll(async () => {
    if (!driver.available) return
    testDb = await driver.open()
    org = await numberingOrg(testDb.database)
  })
  afterAll(async () => testDb?.dispose())

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN 50 signed decisions WHEN all are numbered at once in one book THEN they get exactly 1..50, printed 01…50/QĐ-UBND', async () => {
      const ids = await signedOutgoingDocuments(testDb.database, org, 50)
      const results = await Promise.all(ids.map((id) => number(testDb.database, id)))
      expect(results.map((r) => r.outgoingNumber).sort((a, b) => a - b)).toEqual(oneToN(50))
      expect(new Set(results.map((r) => r.registerId)).size).toBe(1)
      const five = results.find((r) => r.outgoingNumber === 5)!
      expect(five.numberNotation).toBe('05/QĐ-UBND')
      const stored = await testDb.database.db
        .select()
        .from(documents)
        .where(eq(documents.registerId, five.registerId))
      expect(stored.map((d) => `${d.codeNumber}/${d.codeNotation}`).sort()).toEqual(
        oneToN(50)
          .map((n) => `${formatNumber(n)}/QĐ-UBND`)
          .sort(),
      )
      expect(stored.every((d) => d.registerYear === 2026 && d.issuedDate === '2026-03-02')).toBe(true)
    })

    it('GIVEN a numbering whose transaction fails after taking its number WHEN the next document is numbered THEN it gets that number (no gap)', async () => {
      const [failing, next] = await signedOutgoingDocuments(testDb.database, org, 2)
      await expect(
        testDb.database.db.transaction(async (tx) => {
          const [document] = await tx.select().from(documents).where(eq(documents.id, failing!))
          await assignNumber(tx, document!, (await findOutgoing(tx, failing!))!, { issuedDate: '2026-03-02' })
          throw new Error('the PDF could not be stored')
        }),
      ).rejects.toThrow('the PDF could not be stored')
      expect((await number(testDb.database, next!)).outgoingNumber).toBe(51)
    })

    it('GIVEN a new year WHEN its first document is numbered THEN it starts again at 01, and the old year continues where it was', async () => {
      const [january, december] = await signedOutgoingDocuments(testDb.database, org, 2)
      const first = await number(testDb.database, january!, '2027-01-01')
      expect(first.outgoingNumber).toBe(1)
      expect(first.numberNotation).toBe('01/QĐ-UBND')
      expect((await number(testDb.database, december!, '2026-12-31')).outgoingNumber).toBe(52)
    })

    it('GIVEN two books that print the same notation WHEN the second gives a số/ký hiệu already used in the year THEN 409 number-taken naming the holder, and its counter is given back', async () => {
      const [book] = await testDb.database.db
        .insert(registers)
        .values({
          agencyId: org.agencyId,
          direction: 'outgoing',
          name: 'Sổ quyết định (trùng ký hiệu)',
          series: 'administrative',
          kindCodes: ['QĐ'],
        })
        .returning()
      const [clashing, later] = await signedOutgoingDocuments(testDb.database, org, 2)
      const error = await number(testDb.database, clashing!, '2026-03-02', book!.id).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('number-taken')
      expect((error as AppError).status).toBe(409)
      expect((error as AppError).extensions?.numberNotation).toBe('01/QĐ-UBND')
      expect((error as AppError).extensions?.existingDocumentId).toBeTruthy()
      const [untouched] = await testDb.database.db.select().from(documents).where(eq(documents.id, clashing!))
      expect(untouched!.codeNumber).toBeNull()
      // The failed attempt took nothing: the book's counter is where it was.
      expect((await number(testDb.database, later!, '2031-06-01', book!.id)).outgoingNumber).toBe(1)
    })

    it('GIVEN a legal normative decision and a secret one WHEN numbered THEN each goes to its own series: 01/2026/QĐ-UBND and the secret book’s 01/QĐ-UBND-M', async () => {
      const [legal] = await signedOutgoingDocuments(testDb.database, org, 1, { legalNormative: true })
      const [secret] = await signedOutgoingDocuments(testDb.database, org, 1, { secrecy: 1 })
      const legalNumber = await number(testDb.database, legal!)
      expect(legalNumber.numberNotation).toBe('01/2026/QĐ-UBND')
      const secretNumber = await number(testDb.database, secret!)
      expect(secretNumber.outgoingNumber).toBe(1)
      expect(secretNumber.numberNotation).toBe('01/QĐ-UBND-M')
      const books = await testDb.database.db
        .select()
        .from(registers)
        .where(eq(registers.agencyId, org.agencyId))
      expect(books.find((b) => b.id === legalNumber.registerId)?.series).toBe('legal-normative')
      expect(books.find((b) => b.id === secretNumber.registerId)?.secret).toBe(true)
    })

    it('GIVEN a công văn of the office WHEN numbered THEN its notation is UBND-VP', async () => {
      const [letter] = await signedOutgoingDocuments(testDb.database, org, 1, {
        kind: 'Công văn',
        kindCode: null,
      })
      expect((await number(testDb.database, letter!)).numberNotation).toMatch(/^\d{2,}\/UBND-VP$/)
    })
  })
})

describe.skipIf(!TEST_DATABASE_URL)('cấp số across processes on PostgreSQL', () => {
  let testDb: TestDatabase
  let org: NumberingOrg

  beforeAll(async () => {
    testDb = await DRIVERS[1].open()
    org = await numberingOrg(testDb.database, 'Sở Nội vụ tỉnh Hòa Giang')
  })
  afterAll(async () => testDb?.dispose())

  it('GIVEN two server processes numbering 25 documents each at once WHEN done THEN together they gave exactly 1..50: no gap, no repeat', async () => {
    const ids = await signedOutgoingDocuments(testDb.database, org, 50)
    const worker = (part: string[]) =>
      run(
        process.execPath,
        ['--import', 'tsx', 'test/helpers/number-worker.ts', testDb.url!, '2026-05-04', ...part],
        {
          cwd: REPO_ROOT,
          timeout: 120_000,
        },
      )
    const [a, b] = await Promise.all([
      worker(ids.filter((_, i) => i % 2 === 0)),
      worker(ids.filter((_, i) => i % 2 === 1)),
    ])
    const numbers = [...JSON.parse(a.stdout), ...JSON.parse(b.stdout)] as number[]
    expect(numbers.sort((x, y) => x - y)).toEqual(oneToN(50))
    const stored = await testDb.database.db
      .select({ n: documents.codeNumber })
      .from(documents)
      .where(eq(documents.agencyId, org.agencyId))
    expect(new Set(stored.map((row) => row.n)).size).toBe(50)
  }, 180_000)
})
