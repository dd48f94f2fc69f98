import { randomUUID } from 'node:crypto'
import type { Actor } from '../../src/access/actor.ts'
import type { Database } from '../../src/platform/db/database.ts'
import {
  agencies,
  departments,
  documentFiles,
  documentGrants,
  documentPages,
  documentParticipants,
  documents,
  type Role,
  users,
} from '../../src/platform/db/schema/index.ts'

/**
 * A small agency in a real database for search tests: departments, people, and documents written as
 * rows (documents, files, pages, participants, grants) so that every engine indexes them through the
 * same projection (search-projection.ts) and the PostgreSQL engine's visibility key comes from the
 * database's own triggers.
 */
export interface DocumentFixture {
  kind?: string
  number?: string
  notation?: string
  subject: string
  issuer?: string
  issuedDate?: string | null
  status?: string
  direction?: 'incoming' | 'outgoing'
  pages?: string[]
  signed?: boolean
  urgency?: number
  secrecy?: number
  /** Department key of the registering department (default: office). */
  owner?: 'office' | 'economy' | null
  /** Another agency's document. */
  otherAgency?: boolean
  /** Departments (keys) and people (keys) on the routing path. */
  participants?: { department?: 'office' | 'economy'; user?: PersonKey; role?: string }[]
  grants?: PersonKey[]
}

export type PersonKey = 'leader' | 'clerk' | 'officer' | 'admin' | 'archivist' | 'secretLeader'

const PEOPLE: Record<PersonKey, { roles: Role[]; department: 'office' | 'economy' | null; clearance: number }> = {
  leader: { roles: ['leader'], department: null, clearance: 0 },
  clerk: { roles: ['clerk'], department: 'office', clearance: 0 },
  officer: { roles: ['officer'], department: 'economy', clearance: 1 },
  admin: { roles: ['admin'], department: null, clearance: 0 },
  archivist: { roles: ['archivist'], department: 'office', clearance: 0 },
  secretLeader: { roles: ['leader'], department: 'office', clearance: 2 },
}

export interface SearchWorld {
  agencyId: string
  otherAgencyId: string
  departments: Record<'office' | 'economy', string>
  actor(key: PersonKey): Actor
  userId(key: PersonKey): string
  add(fixture: DocumentFixture): Promise<string>
  /** The file id of a document added here. */
  fileOf(documentId: string): string
}

export async function createSearchWorld(database: Database): Promise<SearchWorld> {
  const { db } = database
  const [agency] = await db.insert(agencies).values({ name: 'UBND tỉnh Hòa Giang', abbreviation: 'UBND' }).returning()
  const [other] = await db.insert(agencies).values({ name: 'UBND tỉnh Bình Sơn', abbreviation: 'UBND' }).returning()
  const agencyId = agency!.id
  const department = async (name: string, abbreviation: string) =>
    (await db.insert(departments).values({ agencyId, name, abbreviation }).returning())[0]!.id
  const depts = { office: await department('Văn phòng', 'VP'), economy: await department('Phòng Kinh tế', 'KT') }
  const otherDepartment = (
    await db.insert(departments).values({ agencyId: other!.id, name: 'Văn phòng', abbreviation: 'VP' }).returning()
  )[0]!.id
  const actors = {} as Record<PersonKey, Actor>
  for (const [key, person] of Object.entries(PEOPLE) as [PersonKey, (typeof PEOPLE)[PersonKey]][]) {
    const departmentId = person.department ? depts[person.department] : null
    const [row] = await db
      .insert(users)
      .values({
        agencyId,
        username: `${key.toLowerCase()}-${randomUUID().slice(0, 8)}`,
        fullName: key,
        departmentId,
        roles: person.roles,
        clearance: person.clearance,
        passwordHash: 'not-a-hash',
      })
      .returning()
    actors[key] = {
      userId: row!.id,
      username: row!.username,
      agencyId,
      departmentId,
      roles: new Set(person.roles),
      clearance: person.clearance,
      totpEnabled: false,
      via: { kind: 'token', tokenId: randomUUID(), scopes: ['read'] },
    }
  }
  const files = new Map<string, string>()
  return {
    agencyId,
    otherAgencyId: other!.id,
    departments: depts,
    actor: (key) => actors[key],
    userId: (key) => actors[key].userId,
    fileOf: (documentId) => files.get(documentId)!,
    async add(fixture) {
      const owner = fixture.owner === null ? null : depts[fixture.owner ?? 'office']
      const [document] = await db
        .insert(documents)
        .values({
          direction: fixture.direction ?? 'incoming',
          status: fixture.status ?? 'registered',
          kind: fixture.kind ?? 'Công văn',
          codeNumber: fixture.number ?? null,
          codeNotation: fixture.notation ?? null,
          subject: fixture.subject,
          issuerName: fixture.issuer ?? 'Ủy ban nhân dân tỉnh Hòa Giang',
          issuedDate: fixture.issuedDate === undefined ? '2026-01-15' : fixture.issuedDate,
          urgency: fixture.urgency ?? 0,
          secrecy: fixture.secrecy ?? 0,
          agencyId: fixture.otherAgency ? other!.id : agencyId,
          ownerDepartmentId: fixture.otherAgency ? otherDepartment : owner,
          createdBy: 'test',
        })
        .returning()
      const documentId = document!.id
      const [file] = await db
        .insert(documentFiles)
        .values({
          documentId,
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
      files.set(documentId, file!.id)
      const pages = (fixture.pages ?? []).map((text, index) => ({
        fileId: file!.id,
        pageNumber: index + 1,
        documentId,
        text,
        engine: 'text-layer',
      }))
      if (pages.length > 0) await db.insert(documentPages).values(pages)
      for (const participant of fixture.participants ?? []) {
        await db.insert(documentParticipants).values({
          documentId,
          role: participant.role ?? 'lead',
          userId: participant.user ? actors[participant.user].userId : null,
          departmentId: participant.department ? depts[participant.department] : null,
        })
      }
      for (const grantee of fixture.grants ?? []) {
        await db.insert(documentGrants).values({ documentId, userId: actors[grantee].userId })
      }
      return documentId
    },
  }
}
