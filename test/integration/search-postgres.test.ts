import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../src/access/actor.ts'
import type { Database } from '../../src/platform/db/database.ts'
import { agencies, documentFiles, documentPages, documents } from '../../src/platform/db/schema/index.ts'
import { PostgresSearchEngine } from '../../src/search/postgres-engine.ts'
import type { SearchQuery } from '../../src/search/search-engine.ts'
import { projectDocuments } from '../../src/search/search-projection.ts'
import { DRIVERS, type TestDatabase } from '../helpers/databases.ts'

interface Fixture {
  kind?: string
  number?: string
  notation?: string
  subject: string
  issuer?: string
  issuedDate?: string
  status?: string
  direction?: 'incoming' | 'outgoing'
  pages?: string[]
  signed?: boolean
  urgency?: number
}

/** A leader of the agency: sees every non-secret document (the policy itself is tested through the API). */
function leaderOf(agencyId: string): Actor {
  return {
    userId: randomUUID(),
    username: 'lanhdao',
    agencyId,
    departmentId: null,
    roles: new Set(['leader']),
    clearance: 0,
    totpEnabled: false,
    via: { kind: 'token', tokenId: randomUUID(), scopes: ['read'] },
  }
}

async function addDocument(database: Database, agencyId: string, fixture: Fixture): Promise<string> {
  const [document] = await database.db
    .insert(documents)
    .values({
      direction: fixture.direction ?? 'incoming',
      status: fixture.status ?? 'registered',
      kind: fixture.kind ?? 'Công văn',
      codeNumber: fixture.number ?? null,
      codeNotation: fixture.notation ?? null,
      subject: fixture.subject,
      issuerName: fixture.issuer ?? 'Ủy ban nhân dân tỉnh Hòa Giang',
      issuedDate: fixture.issuedDate ?? '2026-01-15',
      urgency: fixture.urgency ?? 0,
      agencyId,
      createdBy: 'test',
    })
    .returning()
  const [file] = await database.db
    .insert(documentFiles)
    .values({
      documentId: document!.id,
      role: 'original',
      fileName: 'van-ban.pdf',
      mediaType: 'application/pdf',
      size: 1000,
      sha256: randomUUID().replaceAll('-', '').padEnd(64, '0'),
      blobKey: `sha256/${randomUUID()}`,
      signatureCount: fixture.signed ? 1 : 0,
      createdBy: 'test',
    })
    .returning()
  for (const [index, text] of (fixture.pages ?? []).entries()) {
    await database.db.insert(documentPages).values({
      fileId: file!.id,
      pageNumber: index + 1,
      documentId: document!.id,
      text,
      engine: 'text-layer',
    })
  }
  return document!.id
}

describe.each(DRIVERS)('PostgreSQL full-text search engine on $name', (driver) => {
  let testDb: TestDatabase
  let engine: PostgresSearchEngine
  let actor: Actor
  const ids: Record<string, string> = {}
  const id = (name: string) => ids[name]!

  const search = (text: string, more: Partial<SearchQuery> = {}) =>
    engine.search(actor, { text, filters: {}, sort: 'relevance', limit: 20, ...more })
  const idsOf = (result: { hits: { documentId: string }[] }) => result.hits.map((hit) => hit.documentId)

  beforeAll(async () => {
    if (!driver.available) return
    testDb = await driver.open()
    const { database } = testDb
    const [agency] = await database.db
      .insert(agencies)
      .values({ name: 'UBND tỉnh Hòa Giang', abbreviation: 'UBND' })
      .returning()
    actor = leaderOf(agency!.id)
    const add = (name: string, fixture: Fixture) =>
      addDocument(database, agency!.id, fixture).then((id) => (ids[name] = id))
    await add('decision', {
      kind: 'Quyết định',
      number: '15',
      notation: 'QĐ-UBND',
      subject: 'Về việc giao kế hoạch đầu tư công năm 2026',
      issuedDate: '2025-12-22',
      pages: [
        'ỦY BAN NHÂN DÂN TỈNH HÒA GIANG\nSố: 15/QĐ-UBND\nQUYẾT ĐỊNH về việc giao kế hoạch vốn',
        'Điều 2. Giám đốc Sở Tài chính chịu trách nhiệm giải ngân vốn đầu tư công.',
      ],
    })
    await add('misspelt', {
      kind: 'Thông báo',
      number: '7',
      notation: 'TB-UBND',
      subject: 'Thông báo kết luận',
      issuedDate: '2025-03-02',
      pages: ['Theo quyết đinh của Chủ tịch, các đơn vị thực hiện.'],
    })
    await add('dispatch', {
      kind: 'Công văn',
      number: '4862',
      notation: 'UBND-KT',
      subject: 'V/v đôn đốc giải ngân vốn',
      issuer: 'Sở Y tế tỉnh Hòa Giang',
      issuedDate: '2024-08-05',
      status: 'in_progress',
      signed: true,
      pages: [
        'Thực hiện Quyết định số 15/QĐ-UBND ngày 22/12/2025, yêu cầu các đơn vị báo cáo.',
        'Phòng chống sốt xuất huyết trong mùa mưa bão.',
      ],
    })
    await add('flash', { subject: 'Ứng phó sự cố tràn dầu', urgency: 3, issuedDate: '2025-09-09' })
    await add('markup', {
      subject: 'Hướng dẫn nhập liệu',
      issuedDate: '2025-06-01',
      pages: ['Không nhập thẻ <script>alert(1)</script> & ký tự "đặc biệt" vào ô tìm kiếm.'],
    })
    await add('dense', {
      subject: 'Sổ tay nghiệp vụ',
      pages: [Array.from({ length: 400 }, () => 'kiểm tra định kỳ').join(', ')],
    })
    await add('sparse', { subject: 'Lịch công tác', pages: ['Đoàn kiểm tra làm việc tại xã.'] })
    for (let i = 1; i <= 7; i++) {
      await add(`series${i}`, {
        kind: 'Báo cáo',
        number: String(100 + i),
        notation: 'BC-SNV',
        subject: `Báo cáo tình hình cải cách hành chính kỳ ${i}`,
        issuedDate: `2025-0${i}-10`,
        direction: i % 2 === 0 ? 'outgoing' : 'incoming',
      })
    }
    engine = new PostgresSearchEngine(database)
    const projection = await projectDocuments(database.db, Object.values(ids))
    await engine.upsert(projection.documents)
  })
  afterAll(async () => testDb?.dispose())

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN Vietnamese text WHEN searching without diacritics THEN the folded words match', async () => {
      expect(idsOf(await search('quyet dinh'))).toEqual(
        expect.arrayContaining([ids.decision, ids.misspelt, ids.dispatch]),
      )
      expect(idsOf(await search('dau tu'))).toContain(ids.decision)
      expect(idsOf(await search('sot xuat huyet'))).toEqual([ids.dispatch])
    })

    it('GIVEN exact and folded-only matches WHEN searching with diacritics THEN the exact ones rank above', async () => {
      const hits = idsOf(await search('quyết định'))
      expect(hits.indexOf(id('decision'))).toBeLessThan(hits.indexOf(id('misspelt')))
      expect(hits.indexOf(id('dispatch'))).toBeLessThan(hits.indexOf(id('misspelt')))
    })

    it('GIVEN số/ký hiệu WHEN typed as printed, folded, or only the ký hiệu THEN the document is found, its own number first', async () => {
      for (const text of ['15/QĐ-UBND', '15/qd-ubnd']) {
        const hits = idsOf(await search(text))
        expect(hits[0]).toBe(ids.decision)
        // The dispatch cites 15/QĐ-UBND in its text: found, below the decision itself.
        expect(hits).toContain(ids.dispatch)
      }
      expect(idsOf(await search('QĐ-UBND'))).toEqual(expect.arrayContaining([ids.decision, ids.dispatch]))
      expect(idsOf(await search('4862'))[0]).toBe(ids.dispatch)
      expect(idsOf(await search('4862/UBND-KT'))).toEqual([ids.dispatch])
    })

    it('GIVEN a page repeating a word 400 times WHEN ranked THEN it comes first with a bounded score, and scores never increase down the list', async () => {
      const { hits } = await search('kiem tra')
      expect(hits.map((hit) => hit.documentId)).toEqual([id('dense'), id('sparse')])
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score)
      expect(hits[0]!.score).toBeLessThan(2 * hits[1]!.score)
      const all = await search('bao cao')
      for (let i = 1; i < all.hits.length; i++)
        expect(all.hits[i]!.score).toBeLessThanOrEqual(all.hits[i - 1]!.score)
    })

    it('GIVEN an urgency stamp WHEN searched by its words THEN the document is found from its metadata', async () => {
      expect(idsOf(await search('hoa toc'))).toEqual([id('flash')])
    })

    it('GIVEN a quoted phrase WHEN searching THEN only documents with the words in that order match', async () => {
      expect(idsOf(await search('"giải ngân vốn đầu tư công"'))).toEqual([ids.decision])
      expect(idsOf(await search('"công đầu tư"'))).toEqual([])
    })

    it('GIVEN filters WHEN searching THEN only documents passing all of them are counted', async () => {
      const issuer = await search('', { filters: { issuer: 'Sở Y tế tỉnh Hòa Giang' } })
      expect(idsOf(issuer)).toEqual([ids.dispatch])
      expect((await search('', { filters: { kind: 'Báo cáo', direction: 'outgoing' } })).total).toBe(3)
      expect((await search('', { filters: { dateFrom: '2025-02-01', dateTo: '2025-04-30' } })).total).toBe(4)
      expect(idsOf(await search('', { filters: { hasSignature: true } }))).toEqual([ids.dispatch])
      expect(idsOf(await search('', { filters: { status: 'in_progress' } }))).toEqual([ids.dispatch])
      expect((await search('quyet dinh', { filters: { kind: 'Quyết định' } })).total).toBe(1)
    })

    it('GIVEN a query WHEN facets come back THEN they count the matching set', async () => {
      const result = await search('bao cao')
      expect(result.total).toBe(8)
      expect(result.facets.kind).toEqual(
        expect.arrayContaining([
          { value: 'Báo cáo', count: 7 },
          { value: 'Công văn', count: 1 },
        ]),
      )
      expect(result.facets.direction).toEqual(
        expect.arrayContaining([
          { value: 'incoming', count: 5 },
          { value: 'outgoing', count: 3 },
        ]),
      )
      expect(result.facets.year).toEqual(
        expect.arrayContaining([
          { value: '2025', count: 7 },
          { value: '2024', count: 1 },
        ]),
      )
      expect(result.facets.hasSignature).toEqual(expect.arrayContaining([{ value: 'true', count: 1 }]))
    })

    it('GIVEN more hits than the limit WHEN following nextCursor THEN pages do not overlap and cover everything', async () => {
      for (const sort of ['relevance', 'date-desc', 'date-asc'] as const) {
        const seen: string[] = []
        let cursor: string | undefined
        for (let page = 0; page < 10; page++) {
          const result = await search('bao cao', { sort, limit: 3, ...(cursor ? { cursor } : {}) })
          seen.push(...idsOf(result))
          if (!result.nextCursor) break
          cursor = result.nextCursor
        }
        expect(seen).toHaveLength(8)
        expect(new Set(seen).size).toBe(8)
      }
      const dated = idsOf(await search('', { sort: 'date-asc', limit: 2 }))
      expect(dated[0]).toBe(ids.dispatch)
    })

    it('GIVEN page text matches WHEN results come back THEN snippets carry page numbers and marks, folded matches included', async () => {
      const result = await search('giai ngan')
      const decision = result.hits.find((hit) => hit.documentId === ids.decision)!
      expect(decision.snippets[0]).toMatchObject({ pageNumber: 2 })
      expect(decision.snippets[0]!.html).toContain('<mark>giải</mark> <mark>ngân</mark>')
      const cited = (await search('15/QĐ-UBND')).hits.find((hit) => hit.documentId === ids.dispatch)!
      expect(cited.snippets[0]).toMatchObject({ pageNumber: 1 })
      expect(cited.snippets[0]!.html).toContain('<mark>15/QĐ-UBND</mark>')
    })

    it('GIVEN a match in the metadata only WHEN results come back THEN the snippet is the highlighted trích yếu, without a page', async () => {
      const [hit] = (await search('cai cach hanh chinh', { limit: 1 })).hits
      expect(hit!.snippets).toEqual([
        {
          fileId: null,
          pageNumber: null,
          html: expect.stringContaining('<mark>cải</mark> <mark>cách</mark> <mark>hành</mark>'),
        },
      ])
    })

    it('GIVEN markup in a page text WHEN it is a snippet THEN it is escaped, only <mark> is HTML', async () => {
      const [hit] = (await search('nhap the')).hits
      expect(hit!.documentId).toBe(ids.markup)
      const html = hit!.snippets[0]!.html
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; ký tự &quot;đặc biệt&quot;')
      expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/)
    })

    it('GIVEN a bad cursor WHEN searching THEN it is refused as invalid', async () => {
      await expect(search('bao cao', { cursor: 'not-a-cursor' })).rejects.toMatchObject({
        code: 'validation-failed',
      })
    })

    it('GIVEN a removed document WHEN searching THEN it is gone, and clear empties the index', async () => {
      await engine.remove([ids.markup!])
      expect(idsOf(await search('nhap the'))).toEqual([])
      await engine.clear()
      expect((await search('')).total).toBe(0)
    })
  })
})
