import { readFile } from 'node:fs/promises'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentPages, documents, searchEntries, searchOutbox } from '../../src/platform/db/schema/index.ts'
import type { SearchEngine } from '../../src/search/search-engine.ts'
import { enqueueSearchSync } from '../../src/search/search-outbox.ts'
import { searchSyncJob, syncSearchIndex } from '../../src/search/search-sync.job.ts'
import { expectProblem, type UploadedDocument, uploadDocument } from '../helpers/access-fixtures.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { routingStep } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

const HIDDEN_COUNT = 30

describe.each(DRIVERS)('GET /api/search on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let visible: UploadedDocument
  let secret: UploadedDocument
  const hidden: UploadedDocument[] = []
  let registeredId: string

  const search = async (headers: Headers, query: Record<string, string>) => {
    const response = await t.app.inject({ url: `/api/search?${new URLSearchParams(query)}`, headers })
    expect(response.statusCode, response.body).toBe(200)
    return response.json() as {
      hits: {
        document: { id: string; subject: string }
        score: number
        snippets: { fileId: string; pageNumber: number; html: string }[]
      }[]
      facets: Record<string, { value: string; count: number }[]>
      total: number
      nextCursor: string | null
    }
  }
  const addPage = (document: UploadedDocument, text: string, pageNumber = 1) =>
    t.platform.database.db
      .insert(documentPages)
      .values({ documentId: document.id, fileId: document.fileId, pageNumber, text, engine: 'text-layer' })
  const outboxRows = async () => (await t.platform.database.db.select().from(searchOutbox)).length

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    const subject = 'Phương án phòng chống lụt bão năm 2026'
    visible = await uploadDocument(t.app, org.users.clerk.headers, {
      subject,
      issuerName: 'Sở Nông nghiệp và Môi trường',
    })
    // Another department's documents: the Văn phòng clerk must not learn of them.
    for (let i = 0; i < HIDDEN_COUNT; i++) {
      hidden.push(
        await uploadDocument(t.app, org.users.clerkEconomy.headers, { subject, issuerName: 'Sở Tài chính' }),
      )
    }
    // Mật: only the registering clerk holds a grant; the leader (clearance 3) has none.
    secret = await uploadDocument(t.app, org.users.clerk.headers, {
      subject,
      secrecy: '1',
      issuerName: 'Công an tỉnh',
    })
    await addPage(visible, 'Các xã chủ động sơ tán dân khỏi vùng ngập lụt khi có bão.')
    await addPage(secret, 'Phương án bí mật: kho vật tư dự phòng tại điểm cao.')
    for (const document of hidden.slice(0, 3))
      await addPage(document, 'Kho vật tư dự phòng của Sở Tài chính.')
  })
  afterAll(async () => t?.close())

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN new documents WHEN they are registered THEN each wrote an outbox row and a sync job, and search finds them only after the sync', async () => {
      expect(await outboxRows()).toBe(HIDDEN_COUNT + 2)
      const { rows } = await t.platform.database.executeSql(
        `select count(*)::int as n from pgboss.job where name = 'search.sync'`,
      )
      expect(Number(rows[0]!.n)).toBeGreaterThan(0)
      expect((await search(org.users.leader.headers, { q: 'lut bao' })).total).toBe(0)
      const synced = await syncSearchIndex(t.platform)
      expect(synced.indexed).toBe(HIDDEN_COUNT + 2)
      expect(await outboxRows()).toBe(0)
    })

    it('GIVEN 30 hidden matching documents and 1 visible WHEN a clerk searches with limit 10 THEN only the visible ones are returned and counted', async () => {
      const result = await search(org.users.clerk.headers, { q: 'lut bao', limit: '10' })
      expect(result.hits.map((hit) => hit.document.id).sort()).toEqual([visible.id, secret.id].sort())
      expect(result.total).toBe(2)
      expect(result.facets.issuer).toEqual(
        expect.arrayContaining([
          { value: 'Sở Nông nghiệp và Môi trường', count: 1 },
          { value: 'Công an tỉnh', count: 1 },
        ]),
      )
      expect(result.facets.issuer).toHaveLength(2)
      expect(result.facets.direction).toEqual([{ value: 'incoming', count: 2 }])
      expect(result.nextCursor).toBeNull()
      const snippet = result.hits.find((hit) => hit.document.id === visible.id)!.snippets[0]!
      expect(snippet).toMatchObject({ fileId: visible.fileId, pageNumber: 1 })
      expect(snippet.html).toContain('<mark>lụt</mark>')
    })

    it('GIVEN hits WHEN results come back THEN each document carries its own files, read with it in one statement', async () => {
      const response = await t.app.inject({
        url: `/api/search?${new URLSearchParams({ q: 'lut bao' })}`,
        headers: org.users.clerk.headers,
      })
      const body = response.json() as {
        hits: {
          document: {
            id: string
            files: { id: string; role: string; createdAt: string; contentUrl: string }[]
          }
        }[]
      }
      const hit = body.hits.find((candidate) => candidate.document.id === visible.id)!
      expect(hit.document.files).toHaveLength(1)
      expect(hit.document.files[0]).toMatchObject({
        id: visible.fileId,
        role: 'original',
        contentUrl: `/api/documents/${visible.id}/files/${visible.fileId}/content`,
      })
      expect(Number.isNaN(Date.parse(hit.document.files[0]!.createdAt))).toBe(false)
      for (const other of body.hits)
        expect(other.document.files.every((file) => file.contentUrl.includes(other.document.id))).toBe(true)
    })

    it('GIVEN a secret document without a grant WHEN the leader searches THEN it is not returned, counted nor in the facets', async () => {
      const result = await search(org.users.leader.headers, { q: 'lụt bão', limit: '10' })
      expect(result.total).toBe(HIDDEN_COUNT + 1)
      expect(result.hits).toHaveLength(10)
      expect(result.hits.map((hit) => hit.document.id)).not.toContain(secret.id)
      expect(result.facets.secrecy).toEqual([{ value: '0', count: HIDDEN_COUNT + 1 }])
      expect(result.facets.issuer?.map((facet) => facet.value)).not.toContain('Công an tỉnh')
      const seen = new Set<string>()
      let cursor: string | null = null
      do {
        const page = await search(org.users.leader.headers, {
          q: 'lụt bão',
          limit: '10',
          ...(cursor ? { cursor } : {}),
        })
        for (const hit of page.hits) seen.add(hit.document.id)
        cursor = page.nextCursor
      } while (cursor)
      expect(seen.size).toBe(HIDDEN_COUNT + 1)
      expect(seen.has(secret.id)).toBe(false)
    })

    it("GIVEN words only on a secret document's page WHEN others search THEN nothing is found, no snippet leaks", async () => {
      const words = { q: 'bi mat kho vat tu' }
      expect((await search(org.users.leader.headers, words)).total).toBe(0)
      const clerk = await search(org.users.clerk.headers, words)
      expect(clerk.hits.map((hit) => hit.document.id)).toEqual([secret.id])
      expect(clerk.hits[0]!.snippets[0]!.html).toContain('<mark>bí</mark> <mark>mật</mark>')
      const economy = await search(org.users.clerkEconomy.headers, { q: 'kho vat tu' })
      expect(economy.total).toBe(3)
      expect(
        economy.hits
          .flatMap((hit) => hit.snippets)
          .map((s) => s.html)
          .join(' '),
      ).not.toContain('bí mật')
    })

    it('GIVEN an admin (metadata only) WHEN searching THEN metadata matches count but page texts neither match nor show', async () => {
      const byMetadata = await search(org.users.admin.headers, { q: 'phòng chống lụt bão' })
      expect(byMetadata.total).toBe(HIDDEN_COUNT + 1)
      // Snippets only from the trích yếu (metadata), never from a page.
      expect(
        byMetadata.hits.flatMap((hit) => hit.snippets).every((snippet) => snippet.pageNumber === null),
      ).toBe(true)
      expect((await search(org.users.admin.headers, { q: 'so tan dan' })).total).toBe(0)
      expect((await search(org.users.leader.headers, { q: 'so tan dan' })).total).toBe(1)
    })

    it('GIVEN a registration through /api/incoming WHEN the sync runs THEN the document is searchable by its số/ký hiệu', async () => {
      const pdf = await readFile(corpusFile('012.pdf'))
      const { payload, headers } = multipartBody([
        { name: 'issuer', value: 'Ủy ban nhân dân huyện Tân Phước' },
        { name: 'numberNotation', value: '1874/QĐ-UBND' },
        { name: 'documentDate', value: '2025-05-06' },
        { name: 'kind', value: 'QĐ' },
        { name: 'subject', value: 'Về việc phê duyệt phương án bồi thường' },
        { name: 'file', fileName: 'qd.pdf', contentType: 'application/pdf', data: pdf },
      ])
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/incoming',
        payload,
        headers: { ...headers, ...org.users.clerk.headers },
      })
      expect(response.statusCode, response.body).toBe(201)
      const id = response.json().id as string
      registeredId = id
      expect(
        await t.platform.database.db.select().from(searchOutbox).where(eq(searchOutbox.documentId, id)),
      ).toHaveLength(1)
      await syncSearchIndex(t.platform)
      for (const q of ['1874/QĐ-UBND', '1874/qd-ubnd', 'QĐ-UBND']) {
        expect((await search(org.users.clerk.headers, { q })).hits[0]?.document.id, q).toBe(id)
      }
      const filtered = await search(org.users.clerk.headers, {
        kind: 'Quyết định',
        dateFrom: '2025-05-01',
        dateTo: '2025-05-31',
      })
      expect(filtered.hits.map((hit) => hit.document.id)).toEqual([id])
    })

    it('GIVEN an outbox row left by a crashed sync WHEN the next sync runs THEN the change is indexed', async () => {
      await t.platform.database.db
        .update(documents)
        .set({ subject: 'Kế hoạch ứng phó sạt lở đất' })
        .where(eq(documents.id, visible.id))
      // The change's transaction wrote its outbox row; the sync that took it died before finishing.
      await enqueueSearchSync(t.platform.database.db, visible.id)
      expect((await search(org.users.clerk.headers, { q: 'sat lo dat' })).total).toBe(0)
      await syncSearchIndex(t.platform)
      expect(
        (await search(org.users.clerk.headers, { q: 'sat lo dat' })).hits.map((hit) => hit.document.id),
      ).toEqual([visible.id])
      expect(await outboxRows()).toBe(0)
    })

    it('GIVEN a change while its document is being indexed WHEN the sync finishes THEN the newer outbox row stays for the next run', async () => {
      const engine: SearchEngine = {
        ...t.platform.search,
        name: t.platform.search.name,
        prepare: () => t.platform.search.prepare(),
        remove: (ids) => t.platform.search.remove(ids),
        search: (actor, query) => t.platform.search.search(actor, query),
        clear: () => t.platform.search.clear(),
        async upsert(list) {
          await t.platform.search.upsert(list)
          // A clerk edits the document meanwhile (its own transaction re-enqueues it).
          await t.platform.database.db
            .update(documents)
            .set({ subject: 'Kế hoạch ứng phó lũ quét' })
            .where(eq(documents.id, visible.id))
          await enqueueSearchSync(t.platform.database.db, visible.id)
        },
      }
      await enqueueSearchSync(t.platform.database.db, visible.id)
      await syncSearchIndex({ database: t.platform.database, search: engine })
      expect(await outboxRows()).toBe(1)
      await syncSearchIndex(t.platform)
      expect(await outboxRows()).toBe(0)
      expect(
        (await search(org.users.clerk.headers, { q: 'lu quet' })).hits.map((hit) => hit.document.id),
      ).toEqual([visible.id])
    })

    it('GIVEN a routing step and a grant WHEN they commit THEN each re-enqueues the document, and the new status is searchable', async () => {
      const submitted = await routingStep(
        t.app,
        registeredId,
        'submit',
        { leaderId: org.users.leader.id },
        org.users.clerk.headers,
      )
      expect(submitted.statusCode, submitted.body).toBe(200)
      expect(await outboxRows()).toBe(1)
      await syncSearchIndex(t.platform)
      const bySubmitted = await search(org.users.leader.headers, { status: 'submitted' })
      expect(bySubmitted.hits.map((hit) => hit.document.id)).toEqual([registeredId])
      const granted = await t.app.inject({
        method: 'POST',
        url: `/api/documents/${secret.id}/grants`,
        payload: { userId: org.users.leader.id },
        headers: org.users.leader.headers,
      })
      expect(granted.statusCode, granted.body).toBe(204)
      expect(await outboxRows()).toBe(1)
      await syncSearchIndex(t.platform)
      // Granted now: the leader finds the secret document and its page text.
      expect(
        (await search(org.users.leader.headers, { q: 'bi mat kho vat tu' })).hits.map(
          (hit) => hit.document.id,
        ),
      ).toEqual([secret.id])
    })

    it('GIVEN a document missing from the index without an outbox row WHEN the scheduled sync runs THEN it is enqueued and indexed', async () => {
      await t.platform.database.db.delete(searchEntries).where(eq(searchEntries.documentId, visible.id))
      expect((await search(org.users.clerk.headers, { q: 'lu quet' })).total).toBe(0)
      const job = searchSyncJob(t.platform)
      const context = {
        jobId: 'scheduled',
        attempt: 1,
        signal: new AbortController().signal,
        reportProgress: async () => {},
      }
      // A run sent by an outbox write does not look for missing documents; the scheduled run does.
      expect(await job.handler({ trigger: 'outbox' }, context)).toEqual({ indexed: 0, removed: 0 })
      expect(await job.handler({}, context)).toEqual({ indexed: 1, removed: 0 })
      expect(
        (await search(org.users.clerk.headers, { q: 'lu quet' })).hits.map((hit) => hit.document.id),
      ).toEqual([visible.id])
    })

    it('GIVEN bad parameters WHEN searching THEN 400 problem+json', async () => {
      for (const query of [
        'secrecy=9',
        'sort=newest',
        'dateFrom=2025-13-45',
        'limit=0',
        'cursor=abc',
        'dateFrom=2025-05-01&dateTo=2025-04-01',
        'hasSignature=maybe',
      ]) {
        const response = await t.app.inject({
          url: `/api/search?q=bao&${query}`,
          headers: org.users.clerk.headers,
        })
        expectProblem(response, 400, 'validation-failed')
      }
      expectProblem(await t.app.inject({ url: '/api/search?q=bao' }), 401, 'unauthenticated')
    })

    it('GIVEN an empty outbox WHEN the sync runs again THEN nothing is done', async () => {
      const { rows } = await t.platform.database.executeSql('select count(*)::int as n from search_entries')
      expect(await syncSearchIndex(t.platform)).toEqual({ indexed: 0, removed: 0 })
      expect(Number(rows[0]!.n)).toBe(HIDDEN_COUNT + 3)
    })
  })
})
