import { createHmac, randomUUID } from 'node:crypto'
import type { EnqueuedTask, EnqueuedTaskPromise, Settings, Task } from 'meilisearch'
import { describe, expect, it } from 'vitest'
import type { Actor } from '../../src/access/actor.ts'
import { documentVisibilityFilter } from '../../src/access/policy.ts'
import { ConfigError, loadConfig } from '../../src/platform/config.ts'
import { AppError } from '../../src/platform/errors.ts'
import type { Role } from '../../src/platform/db/schema/index.ts'
import {
  batches,
  changedSettings,
  createMeiliEngine,
  loadMeiliSettings,
  MeiliTaskError,
  settle,
} from '../../src/search/meili-engine.ts'
import { MARK_CLOSE, MARK_OPEN, toMeiliRecords, WORDS_PER_RECORD } from '../../src/search/meili-records.ts'
import {
  decodeCursor,
  encodeCursor,
  fromMeiliResponse,
  MEILI_FACETS,
  type MeiliHit,
  meiliVisibilityFilter,
  mergePageSnippets,
  searchFiltersToMeili,
  toMeiliQuery,
  toMeiliSearchRequest,
  toMeiliSnippetQueries,
} from '../../src/search/meili-request.ts'
import { tenantTokenFor } from '../../src/search/meili-tenant-token.ts'
import type { SearchDocument, SearchQuery } from '../../src/search/search-engine.ts'

const AGENCY = '0a000000-0000-4000-8000-00000000000a'
const USER = '0b000000-0000-4000-8000-00000000000b'
const DEPT = '0d000000-0000-4000-8000-00000000000d'
const DOC = '0c000000-0000-4000-8000-00000000000c'
const FILE = '0f000000-0000-4000-8000-00000000000f'

const actorOf = (roles: Role[], clearance = 0): Actor => ({
  userId: USER,
  username: 'u',
  agencyId: AGENCY,
  departmentId: DEPT,
  roles: new Set(roles),
  clearance,
  totpEnabled: false,
  via: { kind: 'session', sessionId: 's' },
})
const query = (patch: Partial<SearchQuery> = {}): SearchQuery => ({
  text: '',
  filters: {},
  sort: 'relevance',
  limit: 20,
  ...patch,
})
const documentOf = (patch: Partial<SearchDocument> = {}): SearchDocument => ({
  id: DOC,
  agencyId: AGENCY,
  direction: 'incoming',
  status: 'registered',
  kind: 'Quyết định',
  kindCode: 'QĐ',
  numberNotation: '15/QĐ-UBND',
  issuerName: 'UBND tỉnh Hòa Giang',
  subject: 'Về việc phê duyệt kế hoạch',
  signerName: 'Nguyễn Văn A',
  issuedDate: '2026-03-02',
  arrivalDate: '2026-03-04',
  arrivalNumber: 12,
  registerId: null,
  secrecy: 0,
  urgency: 0,
  hasSignature: true,
  ownerDepartmentId: DEPT,
  participantUserIds: [],
  participantDepartmentIds: [],
  grantedUserIds: [],
  departmentIds: [DEPT],
  pages: [],
  updatedAt: '2026-03-04T08:00:00.000Z',
  ...patch,
})
const invalidField = (fn: () => unknown, field: string) => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('validation-failed')
    expect((error as AppError).errors?.[0]?.field).toBe(field)
    return
  }
  throw new Error(`expected ${field} to be rejected`)
}

describe('toMeiliSearchRequest', () => {
  it('GIVEN words and filters WHEN translated THEN visibility comes first, filters follow and documents are distinct', () => {
    const actor = actorOf(['clerk'])
    const request = toMeiliSearchRequest(
      actor,
      query({
        text: '  quyet dinh  15/QĐ-UBND ',
        filters: { direction: 'incoming', kind: 'Quyết định', dateFrom: '2026-01-01', hasSignature: true },
        sort: 'date-desc',
        limit: 10,
      }),
    )
    expect(request).toMatchObject({ offset: 0, limit: 10, skip: 0 })
    expect(request.body).toMatchObject({
      q: 'quyet dinh "15/QĐ-UBND"',
      filter: [
        documentVisibilityFilter(actor, 'content'),
        'direction = "incoming"',
        'kind = "Quyết định"',
        'sortDay >= 20454',
        'hasSignature = true',
      ],
      distinct: 'documentId',
      matchingStrategy: 'all',
      page: 1,
      hitsPerPage: 10,
      sort: ['sortDay:desc'],
      facets: Object.values(MEILI_FACETS),
      attributesToCrop: ['text'],
      highlightPreTag: MARK_OPEN,
      highlightPostTag: MARK_CLOSE,
    })
  })

  it('GIVEN no words WHEN sorted by relevance THEN the newest come first and nothing is highlighted', () => {
    const { body } = toMeiliSearchRequest(actorOf(['leader'], 3), query())
    expect(body.sort).toEqual(['sortDay:desc'])
    expect(body.attributesToCrop).toBeUndefined()
    expect(toMeiliSearchRequest(actorOf(['leader']), query({ text: 'x' })).body.sort).toBeUndefined()
    expect(toMeiliSearchRequest(actorOf(['leader']), query({ sort: 'date-asc' })).body.sort).toEqual([
      'sortDay:asc',
    ])
  })

  it('GIVEN an admin WHEN searching THEN page records match only documents the admin may open', () => {
    const admin = actorOf(['admin'])
    const { body } = toMeiliSearchRequest(admin, query({ text: 'x' }))
    expect(body.filter[0]).toBe(
      `(${documentVisibilityFilter(admin, 'content')}) OR ((${documentVisibilityFilter(admin, 'metadata')}) AND pageNumber IS NULL)`,
    )
    expect(meiliVisibilityFilter(actorOf(['clerk']))).toBe(
      documentVisibilityFilter(actorOf(['clerk']), 'content'),
    )
  })

  it('GIVEN user text in filters WHEN translated THEN quotes and backslashes are escaped, ids and dates are checked', () => {
    expect(searchFiltersToMeili({ kind: 'a" OR agencyId != "b', issuer: 'c\\' })).toEqual([
      'kind = "a\\" OR agencyId != \\"b"',
      'issuerName = "c\\\\"',
    ])
    invalidField(() => searchFiltersToMeili({ registerId: 'x" OR 1' }), 'registerId')
    invalidField(() => searchFiltersToMeili({ dateTo: '2026-13-45' }), 'dateTo')
    invalidField(() => searchFiltersToMeili({ dateFrom: '2026-02-31' }), 'dateFrom')
    invalidField(() => searchFiltersToMeili({ secrecy: 1.5 }), 'secrecy')
    expect(
      searchFiltersToMeili({ departmentId: DEPT, secrecy: 0, status: 'archived', dateTo: '1970-01-02' }),
    ).toEqual(['sortDay <= 1', `departmentIds = "${DEPT}"`, 'status = "archived"', 'secrecy = 0'])
  })

  it('GIVEN a số/ký hiệu among words WHEN translated THEN it becomes a phrase', () => {
    expect(toMeiliQuery('số 12/BB-UBND')).toBe('số "12/BB-UBND"')
    expect(toMeiliQuery('45/KH-SGD&ĐT')).toBe('"45/KH-SGD&ĐT"')
    expect(toMeiliQuery('"2874/QĐ-UBND"')).toBe('"2874/QĐ-UBND"')
    expect(toMeiliQuery('   ')).toBe('')
  })
})

describe('cursor', () => {
  it('GIVEN a page WHEN the next cursor is decoded THEN it is the offset, and pages follow from it', () => {
    expect(decodeCursor(encodeCursor(40))).toBe(40)
    const aligned = toMeiliSearchRequest(actorOf(['leader']), query({ limit: 20, cursor: encodeCursor(40) }))
    expect(aligned).toMatchObject({ offset: 40, skip: 0, body: { page: 3, hitsPerPage: 20 } })
    const misaligned = toMeiliSearchRequest(
      actorOf(['leader']),
      query({ limit: 20, cursor: encodeCursor(30) }),
    )
    expect(misaligned).toMatchObject({ offset: 30, skip: 30, body: { page: 1, hitsPerPage: 50 } })
  })

  it('GIVEN a cursor this engine did not make WHEN decoded THEN it is a validation error', () => {
    for (const bad of [
      'nonsense',
      encodeCursor(-1),
      encodeCursor(1.5),
      encodeCursor(10_000),
      'eyJvIjoiMSJ9',
    ]) {
      invalidField(() => decodeCursor(bad), 'cursor')
    }
  })
})

describe('fromMeiliResponse and snippets', () => {
  const hit = (documentId: string, text: string | undefined, pageNumber: number | null = 2): MeiliHit => ({
    documentId,
    fileId: pageNumber === null ? null : FILE,
    pageNumber,
    _rankingScore: 0.5,
    _formatted: {
      subject: `Kế hoạch <b> ${MARK_OPEN}đầu tư${MARK_CLOSE}`,
      ...(text === undefined ? {} : { text }),
    },
  })

  it('GIVEN hits with marks WHEN mapped THEN snippets are escaped HTML with <mark> and page numbers', () => {
    const request = toMeiliSearchRequest(actorOf(['leader']), query({ text: 'đầu tư', limit: 2 }))
    const result = fromMeiliResponse(
      {
        hits: [
          hit(DOC, `… vốn ${MARK_OPEN}đầu tư${MARK_CLOSE} & "công" …`),
          hit(randomUUID(), 'no match here'),
        ],
        totalHits: 5,
        facetDistribution: { direction: { incoming: 4, outgoing: 1 }, year: { '2025': 2, '2026': 3 } },
      },
      request,
    )
    expect(result.total).toBe(5)
    expect(result.hits[0]).toEqual({
      documentId: DOC,
      score: 0.5,
      snippets: [
        { fileId: FILE, pageNumber: 2, html: '… vốn <mark>đầu tư</mark> &amp; &quot;công&quot; …' },
        { fileId: null, pageNumber: null, html: 'Kế hoạch &lt;b&gt; <mark>đầu tư</mark>' },
      ],
    })
    expect(result.hits[1]!.snippets).toHaveLength(1)
    expect(result.facets.direction).toEqual([
      { value: 'incoming', count: 4 },
      { value: 'outgoing', count: 1 },
    ])
    expect(result.facets.year).toEqual([
      { value: '2026', count: 3 },
      { value: '2025', count: 2 },
    ])
    expect(result.facets.kind).toEqual([])
    expect(decodeCursor(result.nextCursor!)).toBe(2)
  })

  it('GIVEN the last page or a misaligned offset WHEN mapped THEN hits are sliced and there is no next cursor', () => {
    const request = toMeiliSearchRequest(actorOf(['leader']), query({ limit: 2, cursor: encodeCursor(3) }))
    const ids = [0, 1, 2, 3, 4].map(() => randomUUID())
    const result = fromMeiliResponse({ hits: ids.map((id) => hit(id, undefined)), totalHits: 5 }, request)
    expect(result.hits.map((h) => h.documentId)).toEqual(ids.slice(3))
    expect(result.nextCursor).toBeNull()
  })

  it('GIVEN further matching pages WHEN merged THEN up to three page snippets, none repeated', () => {
    const request = toMeiliSearchRequest(actorOf(['leader']), query({ text: 'tư' }))
    const base = fromMeiliResponse({ hits: [hit(DOC, `${MARK_OPEN}tư${MARK_CLOSE}`)], totalHits: 1 }, request)
    const more = [2, 7, 9, 11].map((page) => hit(DOC, `p${page} ${MARK_OPEN}tư${MARK_CLOSE}`, page))
    const merged = mergePageSnippets(base, new Map([[DOC, more]]))
    expect(merged.hits[0]!.snippets.map((s) => s.pageNumber)).toEqual([2, 7, 9, null])
    const queries = toMeiliSnippetQueries('idx', actorOf(['admin']), request, [DOC])
    expect(queries[0]).toMatchObject({
      indexUid: 'idx',
      q: 'tư',
      filter: [
        documentVisibilityFilter(actorOf(['admin']), 'content'),
        `documentId = "${DOC}"`,
        'pageNumber IS NOT NULL',
      ],
      attributesToSearchOn: ['text'],
      limit: 3,
    })
    expect(
      toMeiliSnippetQueries('idx', actorOf(['admin']), toMeiliSearchRequest(actorOf(['admin']), query()), [
        DOC,
      ]),
    ).toEqual([])
  })
})

describe('toMeiliRecords', () => {
  it('GIVEN a document with pages WHEN projected THEN one metadata record and one per page, ids Meilisearch accepts', () => {
    const records = toMeiliRecords(
      documentOf({
        issuedDate: null,
        subject: `a${MARK_OPEN}b`,
        pages: [
          { fileId: FILE, pageNumber: 1, text: 'Trang một' },
          { fileId: FILE, pageNumber: 2, text: '   ' },
          { fileId: FILE, pageNumber: 3, text: 'Trang ba' },
        ],
      }),
      7,
    )
    expect(records.map((r) => [r.id, r.pageNumber, r.text])).toEqual([
      [`${DOC}_meta_0`, null, ''],
      [`${DOC}_${FILE}_1`, 1, 'Trang một'],
      [`${DOC}_${FILE}_3`, 3, 'Trang ba'],
    ])
    for (const record of records) {
      expect(record.id).toMatch(/^[A-Za-z0-9_-]{1,511}$/)
      expect(record).toMatchObject({
        documentId: DOC,
        revision: 7,
        subject: 'ab',
        sortDay: 20516,
        year: 2026,
      })
      expect(record).not.toHaveProperty('pages')
    }
  })

  it('GIVEN a page longer than Meilisearch indexes per attribute WHEN projected THEN it is split, same page number', () => {
    const words = Array.from({ length: WORDS_PER_RECORD * 2 + 5 }, (_, i) => `w${i}`)
    const records = toMeiliRecords(
      documentOf({ pages: [{ fileId: FILE, pageNumber: 4, text: words.join(' ') }] }),
      1,
    )
    expect(records.slice(1).map((r) => [r.id, r.pageNumber])).toEqual([
      [`${DOC}_${FILE}_4_0`, 4],
      [`${DOC}_${FILE}_4_1`, 4],
      [`${DOC}_${FILE}_4_2`, 4],
    ])
    expect(records.at(-1)!.text).toBe(words.slice(-5).join(' '))
  })

  it('GIVEN many or long records WHEN sent THEN they go in batches of at most 1,000 records and ~10 M characters', () => {
    const pages = Array.from({ length: 2500 }, (_, i) => ({
      fileId: FILE,
      pageNumber: i + 1,
      text: `trang ${i}`,
    }))
    const many = toMeiliRecords(documentOf({ pages }), 1)
    expect(batches(many).map((b) => b.length)).toEqual([1000, 1000, 501])
    const long = 'chữ '.repeat(WORDS_PER_RECORD - 1)
    const heavy = toMeiliRecords(
      documentOf({ pages: pages.slice(0, 200).map((p) => ({ ...p, text: long })) }),
      1,
    )
    const sent = batches(heavy)
    expect(sent.length).toBeGreaterThan(1)
    expect(sent.flat()).toEqual(heavy)
    for (const batch of sent)
      expect(batch.reduce((n, r) => n + r.text.length, 0)).toBeLessThanOrEqual(10_000_000)
  })

  it('GIVEN an id that is not a uuid WHEN projected THEN it is refused', () => {
    expect(() => toMeiliRecords(documentOf({ id: 'x" OR 1' }), 1)).toThrow(/not a uuid/)
  })
})

describe('storage-config/meilisearch/settings.json', () => {
  const KNOWN: (keyof Settings)[] = [
    'searchableAttributes',
    'displayedAttributes',
    'filterableAttributes',
    'sortableAttributes',
    'rankingRules',
    'distinctAttribute',
    'typoTolerance',
    'synonyms',
    'stopWords',
    'faceting',
    'pagination',
  ]
  const attributesIn = (filter: string) =>
    [...filter.matchAll(/([A-Za-z]+) (?:=|!=|>=|<=|>|<|IS|IN)/g)].map((m) => m[1]!)

  it('GIVEN the settings file WHEN read THEN it has only known keys and the agreed searchable order', async () => {
    const settings = await loadMeiliSettings()
    expect(Object.keys(settings).filter((key) => !KNOWN.includes(key as keyof Settings))).toEqual([])
    expect(settings.searchableAttributes).toEqual([
      'numberNotation',
      'subject',
      'issuerName',
      'kind',
      'signerName',
      'text',
    ])
    expect(settings.sortableAttributes).toEqual(['sortDay'])
    expect(settings.rankingRules?.[0]).toBe('sort')
    expect(settings.typoTolerance?.disableOnAttributes).toContain('numberNotation')
    expect(settings.pagination?.maxTotalHits).toBe(10_000)
    expect(changedSettings(settings, settings)).toEqual([])
    expect(changedSettings({}, settings)).toEqual(Object.keys(settings))
    // The server answers with its defaults beside ours: not a change. A synonym removed from the file is.
    const served = { ...settings, typoTolerance: { ...settings.typoTolerance, disableOnNumbers: false } }
    expect(changedSettings(served, settings)).toEqual([])
    expect(changedSettings({ ...settings, synonyms: { ...settings.synonyms, x: ['y'] } }, settings)).toEqual([
      'synonyms',
    ])
    expect(changedSettings({ ...settings, rankingRules: ['words'] }, settings)).toEqual(['rankingRules'])
  })

  it('GIVEN every filter the engine builds WHEN checked THEN each attribute is filterable, and access lists are never displayed', async () => {
    const settings = await loadMeiliSettings()
    const filterable = new Set(settings.filterableAttributes as string[])
    const roles: Role[][] = [['clerk'], ['leader'], ['archivist'], ['officer'], ['admin'], ['admin', 'clerk']]
    const filters = [
      ...roles.flatMap((r) => [meiliVisibilityFilter(actorOf(r, 2)), meiliVisibilityFilter(actorOf(r, 0))]),
      ...searchFiltersToMeili({
        direction: 'incoming',
        kind: 'k',
        issuer: 'i',
        dateFrom: '2026-01-01',
        dateTo: '2026-01-02',
        registerId: DOC,
        departmentId: DEPT,
        status: 's',
        secrecy: 1,
        hasSignature: false,
      }),
      `documentId IN ["${DOC}"] AND revision < 5`,
      ...toMeiliSnippetQueries(
        'i',
        actorOf(['admin']),
        toMeiliSearchRequest(actorOf(['admin']), query({ text: 'x' })),
        [DOC],
      ).flatMap((q) => q.filter as string[]),
    ]
    const used = new Set(filters.flatMap(attributesIn))
    expect([...used].filter((a) => !filterable.has(a))).toEqual([])
    expect(used.size).toBeGreaterThan(15)
    for (const facet of Object.values(MEILI_FACETS)) expect(filterable.has(facet), facet).toBe(true)
    const displayed = settings.displayedAttributes as string[]
    for (const attribute of [
      'documentId',
      'fileId',
      'pageNumber',
      'subject',
      'numberNotation',
      'issuerName',
      'signerName',
      'text',
    ]) {
      expect(displayed, attribute).toContain(attribute)
    }
    for (const secret of ['participantUserIds', 'participantDepartmentIds', 'grantedUserIds', 'agencyId']) {
      expect(displayed, secret).not.toContain(secret)
    }
  })

  it('GIVEN the synonyms WHEN read THEN every abbreviation and its expansion point at each other', async () => {
    const synonyms = (await loadMeiliSettings()).synonyms!
    for (const [word, others] of Object.entries(synonyms)) {
      for (const other of others) expect(synonyms[other] ?? [], `${other} → ${word}`).toContain(word)
    }
    for (const key of ['ubnd', 'hđnd', 'qđ', 'cv', 'ttr', 'bc', 'kh', 'tb', 'tn&mt'])
      expect(synonyms).toHaveProperty([key])
  })
})

describe('tenant tokens', () => {
  it('GIVEN an actor WHEN a tenant token is made THEN its search rules carry the visibility filter and it is signed by the search key', async () => {
    const searchKey = { uid: randomUUID(), key: 'a-search-only-key' }
    const expiresAt = new Date('2030-01-01T00:00:00Z')
    const actor = actorOf(['clerk'], 1)
    const token = await tenantTokenFor(actor, { indexUid: 'vanthu-documents', searchKey, expiresAt })
    const [header, payload, signature] = token.split('.')
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'))).toEqual({
      searchRules: { 'vanthu-documents': { filter: meiliVisibilityFilter(actor) } },
      apiKeyUid: searchKey.uid,
      exp: 1893456000,
    })
    expect(createHmac('sha256', searchKey.key).update(`${header}.${payload}`).digest('base64url')).toBe(
      signature,
    )
  })
})

describe('tasks and the factory', () => {
  const enqueued = (task: Partial<Task>): EnqueuedTaskPromise =>
    Object.assign(Promise.resolve({ taskUid: 9 } as EnqueuedTask), {
      waitTask: async () => ({ uid: 9, ...task }) as Task,
    })

  it("GIVEN a task that failed WHEN settled THEN it throws with Meilisearch's error; a succeeded one passes", async () => {
    const error = {
      code: 'invalid_settings_filterable_attributes',
      message: 'bad',
      type: 'invalid_request',
      link: '',
    }
    await expect(settle(enqueued({ status: 'failed', error }), 'settings update', 1000)).rejects.toThrow(
      /settings update \(task 9\) failed: invalid_settings_filterable_attributes: bad/,
    )
    await expect(settle(enqueued({ status: 'canceled', error: null }), 'x', 1000)).rejects.toBeInstanceOf(
      MeiliTaskError,
    )
    await expect(settle(enqueued({ status: 'succeeded', error: null }), 'x', 1000)).resolves.toMatchObject({
      uid: 9,
    })
  })

  it('GIVEN MEILI_URL WHEN the config is read THEN Meilisearch is the engine, on MEILI_INDEX or the default index', () => {
    expect(loadConfig({}, '/tmp').searchEngine).toBe('postgres')
    const config = loadConfig({ MEILI_URL: 'http://meili:7700', MEILI_API_KEY: 'k' }, '/tmp')
    expect(config).toMatchObject({
      searchEngine: 'meilisearch',
      meili: { apiKey: 'k', index: 'vanthu-documents' },
    })
    expect(loadConfig({ MEILI_URL: 'http://meili:7700', MEILI_INDEX: 'docs_2' }, '/tmp').meili?.index).toBe(
      'docs_2',
    )
    expect(() => loadConfig({ MEILI_URL: 'http://meili:7700', MEILI_INDEX: 'a b' }, '/tmp')).toThrow(
      ConfigError,
    )
    expect(createMeiliEngine(config).index.uid).toBe('vanthu-documents')
    expect(() => createMeiliEngine(loadConfig({}, '/tmp'))).toThrow(/MEILI_URL/)
  })
})
