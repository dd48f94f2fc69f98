import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addParticipant,
  expectProblem,
  grantSecret,
  problemOf,
  seedOtherAgencyLeader,
  setDocumentStatus,
  type UploadedDocument,
  unknownId,
  uploadDocument,
} from '../helpers/access-fixtures.ts'
import { type Headers, type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

/**
 * The people of seedOrganisation (clearance in brackets): clerk = văn thư of Văn phòng [1],
 * clerkEconomy = văn thư of Phòng Kinh tế [0], leader = lãnh đạo in Văn phòng [3], officer = chuyên viên
 * of Phòng Kinh tế [1], archivist = lưu trữ in Văn phòng [0], admin = quản trị, no department [0];
 * outsider = a leader [3] of another agency.
 */
const PEOPLE = ['clerk', 'clerkEconomy', 'leader', 'officer', 'archivist', 'admin', 'outsider'] as const
type Person = (typeof PEOPLE)[number]

/** content = metadata and file bytes; metadata = the record only (file content 404); none = 404 and never listed. */
type Access = 'content' | 'metadata' | 'none'
const C: Access = 'content'
const M: Access = 'metadata'
const _: Access = 'none'

interface DocumentSetup {
  /** Who registers it (its owner department is theirs; for a secret document they get a grant too). */
  by: 'clerk' | 'clerkEconomy'
  /** Độ mật: 0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật. */
  secrecy: 0 | 1 | 2 | 3
  archived?: boolean
  /** On the routing path: people, or the Phòng Kinh tế as a department. */
  routedTo?: ('officer' | 'economy')[]
  /** Further grant rows to read a secret document (written directly, as if clearance was lowered since). */
  grants?: Person[]
  /** Grants the leader withdraws through the API after registration. */
  withdrawn?: Person[]
  /** Expected access, in the order of PEOPLE. */
  expect: [Access, Access, Access, Access, Access, Access, Access]
}

/**
 * The policy of src/access/policy.ts as a table. Role rule: the owner department's clerks, people and
 * departments on the routing path, every leader of the agency, archivists for archived records — content;
 * admins — metadata of non-secret documents only. A secret document additionally needs clearance ≥ độ mật
 * AND a grant; without both nobody learns it exists. The clerk registers Tối mật and Tuyệt mật documents
 * while temporarily cleared for them, then is set back to clearance 1.
 */
const DOCUMENTS = {
  //                                                                              clerk kinhTe leader officer archiv admin outsider
  open: { by: 'clerk', secrecy: 0, expect: [C, _, C, _, _, M, _] },
  economy: { by: 'clerkEconomy', secrecy: 0, expect: [_, C, C, _, _, M, _] },
  routedToEconomy: { by: 'clerk', secrecy: 0, routedTo: ['economy'], expect: [C, C, C, C, _, M, _] },
  routedToOfficer: { by: 'clerk', secrecy: 0, routedTo: ['officer'], expect: [C, _, C, C, _, M, _] },
  archived: { by: 'clerk', secrecy: 0, archived: true, expect: [C, _, C, _, C, M, _] },
  // Mật granted to the leader too; the officer's grant and clearance do not help off the routing path, nor the admin's.
  mat: { by: 'clerk', secrecy: 1, grants: ['leader', 'officer', 'admin'], expect: [C, _, C, _, _, _, _] },
  // Mật whose only grant (the registering clerk's) was withdrawn: nobody sees it, not even the leader.
  matWithoutGrant: { by: 'clerk', secrecy: 1, withdrawn: ['clerk'], expect: [_, _, _, _, _, _, _] },
  // Tối mật: the registering clerk keeps the grant but their clearance (1) is too low now.
  toiMat: { by: 'clerk', secrecy: 2, grants: ['leader'], expect: [_, _, C, _, _, _, _] },
  // Tuyệt mật routed to and granted to the officer, whose clearance (1) is too low.
  tuyetMat: { by: 'clerk', secrecy: 3, routedTo: ['officer'], grants: ['leader', 'officer'], expect: [_, _, C, _, _, _, _] },
  // Mật routed to and granted to the officer (clearance 1); the leader has no grant.
  matRoutedToOfficer: { by: 'clerk', secrecy: 1, routedTo: ['officer'], grants: ['officer'], expect: [C, _, _, C, _, _, _] },
  // Archived Mật: the archivist's grant needs clearance too.
  archivedMat: { by: 'clerk', secrecy: 1, archived: true, grants: ['archivist'], expect: [C, _, _, _, _, _, _] },
  // Routed to Phòng Kinh tế and granted to its clerk (clearance 0): the department's route does not replace clearance.
  matRoutedToEconomy: { by: 'clerk', secrecy: 1, routedTo: ['economy'], grants: ['clerkEconomy', 'officer'], expect: [C, _, _, C, _, _, _] },
} satisfies Record<string, DocumentSetup>
type DocumentName = keyof typeof DOCUMENTS

const expected = (name: DocumentName, person: Person): Access => DOCUMENTS[name].expect[PEOPLE.indexOf(person)]!

/** Route-level actions: who may call them at all (the others get 403 forbidden). */
const ACTIONS: { action: string; request: InjectOptions; allowed: readonly Person[]; status: number; outsider?: number }[] = [
  // The other agency's leader passes the role check, but the document does not exist for them.
  { action: 'list the grants of a secret document', request: { url: '/api/documents/:mat/grants' }, allowed: ['leader'], status: 200, outsider: 404 },
  { action: 'register a document', request: { method: 'POST', url: '/api/documents' }, allowed: ['clerk', 'clerkEconomy'], status: 201 },
  { action: 'read agency settings', request: { url: '/api/admin/agency' }, allowed: ['admin'], status: 200 },
  { action: 'change agency settings', request: { method: 'PATCH', url: '/api/admin/agency', payload: {} }, allowed: ['admin'], status: 200 },
  { action: 'list users', request: { url: '/api/admin/users' }, allowed: ['admin'], status: 200 },
  // `:self` is the caller's own id: nobody but an admin may give themselves the admin role.
  { action: 'make themselves admin', request: { method: 'PATCH', url: '/api/admin/users/:self', payload: { roles: ['admin'] } }, allowed: ['admin'], status: 200 },
  { action: 'reset the leader’s password', request: { method: 'POST', url: '/api/admin/users/:leader/password', payload: { password: 'Mật khẩu do quản trị đặt lại' } }, allowed: ['admin'], status: 204 },
  { action: 'create a department', request: { method: 'POST', url: '/api/admin/departments', payload: { name: 'Phòng Nội vụ', abbreviation: 'NV' } }, allowed: ['admin'], status: 201 },
  { action: 'list positions', request: { url: '/api/admin/positions' }, allowed: ['admin'], status: 200 },
  { action: 'read audit events', request: { url: '/api/audit/events' }, allowed: ['admin'], status: 200 },
  { action: 'verify the audit chain', request: { url: '/api/audit/verify' }, allowed: ['admin'], status: 200 },
  { action: 'sign an audit checkpoint', request: { method: 'POST', url: '/api/audit/checkpoints' }, allowed: ['admin'], status: 201 },
  { action: 'export the audit checkpoints', request: { url: '/api/audit/checkpoints' }, allowed: ['admin'], status: 200 },
  { action: 'list failed jobs', request: { url: '/api/jobs?state=failed' }, allowed: ['admin'], status: 200 },
]

describe.each(DRIVERS)('authorization matrix on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let headers: Record<Person, Headers>
  let ids: Record<Person, string>
  const docs = {} as Record<DocumentName, UploadedDocument>

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } })
    org = await seedOrganisation(t.platform, t.app)
    const outsider = await seedOtherAgencyLeader(t.platform.database, t.app)
    const people = { ...org.users, outsider }
    headers = Object.fromEntries(PEOPLE.map((p) => [p, people[p].headers])) as Record<Person, Headers>
    ids = Object.fromEntries(PEOPLE.map((p) => [p, people[p].id])) as Record<Person, string>
    const { database } = t.platform
    await setClearance('clerk', 3)
    for (const [name, setup] of Object.entries(DOCUMENTS) as [DocumentName, DocumentSetup][]) {
      const document = await uploadDocument(t.app, headers[setup.by], { secrecy: String(setup.secrecy), subject: `Văn bản ${name}` })
      docs[name] = document
      for (const to of setup.routedTo ?? []) {
        await addParticipant(database, document.id, to === 'economy' ? { departmentId: org.departments.economy } : { userId: ids[to] })
      }
      for (const person of setup.grants ?? []) await grantSecret(database, document.id, ids[person])
      for (const person of setup.withdrawn ?? []) {
        const withdrawal = await t.app.inject({ method: 'DELETE', url: `/api/documents/${document.id}/grants/${ids[person]}`, headers: headers.leader })
        expect(withdrawal.statusCode).toBe(204)
      }
      if (setup.archived) await setDocumentStatus(database, document.id, 'archived')
    }
    await setClearance('clerk', 1)
  })

  const setClearance = async (person: Person, clearance: number) => {
    const response = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${ids[person]}`, payload: { clearance }, headers: headers.admin })
    expect(response.statusCode).toBe(200)
  }
  afterAll(async () => t?.close())

  const get = (person: Person, url: string) => t.app.inject({ url, headers: headers[person] })
  const contentUrl = (document: UploadedDocument, fileId = document.fileId) => `/api/documents/${document.id}/files/${fileId}/content`
  const names = Object.keys(DOCUMENTS) as DocumentName[]

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN the fixtures WHEN stored THEN each document has the secrecy, status and owner the table says', async () => {
      for (const name of names) {
        const row = (await get('leader', `/api/documents/${docs[name].id}`)).json()
        if (expected(name, 'leader') === 'none') continue
        expect(row, name).toMatchObject({ secrecy: DOCUMENTS[name].secrecy, status: 'archived' in DOCUMENTS[name] ? 'archived' : 'received' })
      }
      const { rows } = await t.platform.database.executeSql('select count(*)::int as n from documents')
      expect(rows[0]?.n).toBe(names.length)
    })

    describe.each(PEOPLE)('as %s', (person) => {
      it('GIVEN the documents WHEN listed THEN exactly the visible ones appear, in the count too', async () => {
        const response = await get(person, '/api/documents?limit=200')
        expect(response.statusCode).toBe(200)
        const listed = (response.json().items as { id: string }[]).map((item) => item.id).sort()
        const visible = names.filter((name) => expected(name, person) !== 'none').map((name) => docs[name].id).sort()
        expect(listed).toEqual(visible)
      })

      it('GIVEN the documents WHEN filtered by status=archived THEN the filter cannot widen what is visible', async () => {
        const listed = ((await get(person, '/api/documents?status=archived')).json().items as { id: string }[]).map((i) => i.id).sort()
        const visible = names
          .filter((name) => 'archived' in DOCUMENTS[name] && expected(name, person) !== 'none')
          .map((name) => docs[name].id)
          .sort()
        expect(listed).toEqual(visible)
      })

      it.each(names)('GIVEN document %s WHEN its metadata and file content are requested THEN the table’s answer', async (name) => {
        const access = expected(name, person)
        const metadata = await get(person, `/api/documents/${docs[name].id}`)
        const content = await get(person, contentUrl(docs[name]))
        expect({ metadata: metadata.statusCode, content: content.statusCode }).toEqual({
          metadata: access === 'none' ? 404 : 200,
          content: access === 'content' ? 200 : 404,
        })
        if (access !== 'none') expect(metadata.json().id).toBe(docs[name].id)
        if (access !== 'content') expectProblem(content, 404, 'not-found')
      })
    })

    describe('route-level actions', () => {
      const requestFor = (person: Person, request: InjectOptions): InjectOptions => {
        const url = String(request.url).replace(':mat', docs.mat.id).replace(':self', ids[person]).replace(':leader', ids.leader)
        if (url !== '/api/documents') return { ...request, url, headers: headers[person] }
        const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
        const { payload, headers: multipart } = multipartBody([
          { name: 'direction', value: 'outgoing' },
          { name: 'file', fileName: 'du-thao.pdf', contentType: 'application/pdf', data: pdf },
        ])
        return { ...request, payload, headers: { ...multipart, ...headers[person] } }
      }

      it.each(ACTIONS)('GIVEN every role WHEN they $action THEN only the allowed ones may', async ({ request, allowed, status, outsider }) => {
        const expectedStatus = (person: Person) =>
          allowed.includes(person) ? status : person === 'outsider' && outsider ? outsider : 403
        const outcome: Record<string, number> = {}
        for (const person of PEOPLE) {
          const response = await t.app.inject(requestFor(person, request))
          outcome[person] = response.statusCode
          if (expectedStatus(person) === 403) expectProblem(response, 403, 'forbidden')
        }
        expect(outcome).toEqual(Object.fromEntries(PEOPLE.map((p) => [p, expectedStatus(p)])))
      })

      it('GIVEN a refused upload WHEN it is counted THEN no document was stored', async () => {
        const { rows } = await t.platform.database.executeSql(
          "select count(*)::int as n from documents where created_by not in (select 'user:' || id::text from users where 'clerk' = any(roles))",
        )
        expect(rows[0]?.n).toBe(0)
      })
    })

    describe('id guessing', () => {
      /** An officer who may see routedToOfficer but not `open`, `mat`, `toiMat`, `economy`. */
      const hidden: DocumentName[] = ['open', 'economy', 'mat', 'toiMat', 'tuyetMat', 'matWithoutGrant']

      it('GIVEN documents the officer may not see WHEN fetched by id THEN 404 with the same body as a random uuid', async () => {
        const nothing = problemOf(await get('officer', `/api/documents/${unknownId()}`))
        expect(nothing).toMatchObject({ status: 404, code: 'not-found' })
        for (const name of hidden) {
          expect(expected(name, 'officer')).toBe('none')
          const response = await get('officer', `/api/documents/${docs[name].id}`)
          expect(response.statusCode, name).toBe(404)
          expect(problemOf(response), name).toEqual(nothing)
        }
        expect(problemOf(await get('officer', '/api/documents/not-a-uuid'))).toEqual(nothing)
      })

      it('GIVEN hidden files WHEN their content URL is guessed, alone or behind a visible document id THEN 404 like a random id', async () => {
        const visible = docs.routedToOfficer
        const nothing = problemOf(await get('officer', contentUrl(visible, unknownId())))
        expect(nothing).toMatchObject({ status: 404, code: 'not-found' })
        for (const name of hidden) {
          for (const url of [contentUrl(docs[name]), contentUrl(visible, docs[name].fileId), contentUrl(docs[name], visible.fileId)]) {
            const response = await get('officer', url)
            expect(response.statusCode, url).toBe(404)
            expect(problemOf(response), url).toEqual(nothing)
          }
        }
        expect((await get('officer', contentUrl(visible))).statusCode).toBe(200)
      })

      it('GIVEN a non-secret document WHEN the admin asks for its bytes THEN 404 like a random id, though the metadata is 200', async () => {
        const nothing = problemOf(await get('admin', contentUrl(docs.open, unknownId())))
        expect((await get('admin', `/api/documents/${docs.open.id}`)).statusCode).toBe(200)
        expect(problemOf(await get('admin', contentUrl(docs.open)))).toEqual(nothing)
      })

      it('GIVEN the inspection job of a hidden document WHEN the officer follows it THEN 404 like a random id; its own document’s job is 200', async () => {
        const nothing = problemOf(await get('officer', `/api/jobs/${unknownId()}`))
        expect(nothing).toMatchObject({ status: 404, code: 'not-found' })
        for (const name of hidden) {
          const response = await get('officer', `/api/jobs/${docs[name].inspectJobId}`)
          expect(response.statusCode, name).toBe(404)
          expect(problemOf(response)).toEqual(nothing)
        }
        const own = await get('officer', `/api/jobs/${docs.routedToOfficer.inspectJobId}`)
        expect(own.statusCode).toBe(200)
        expect(own.json()).toMatchObject({ documentId: docs.routedToOfficer.id, name: 'document-file.inspect' })
      })

      // BUG src/platform/jobs/job-queue.ts:140 — JobQueue.get only checks /^[0-9a-f-]{36}$/i before querying
      // the uuid column pgboss.job.id, so 36 hex digits or dashes that are not a uuid make PostgreSQL and
      // PGlite throw (invalid input syntax for type uuid) and GET /api/jobs/:id answers 500 instead of 404.
      it('GIVEN a 36-character job id that is not a uuid WHEN followed THEN 404 (not 500)', async () => {
        for (const id of ['a'.repeat(36), '-'.repeat(36)]) expectProblem(await get('officer', `/api/jobs/${id}`), 404, 'not-found')
      })
    })
  })
})
