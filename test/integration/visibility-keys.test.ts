import { randomUUID } from 'node:crypto'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../src/access/actor.ts'
import {
  type DocumentAccessLevel,
  documentVisibility,
  documentVisibilityFilter,
  visibilityKeyCondition,
} from '../../src/access/policy.ts'
import {
  agencies,
  departments,
  documentGrants,
  documentParticipants,
  documents,
  type Role,
  searchEntries,
  users,
} from '../../src/platform/db/schema/index.ts'
import { PostgresSearchEngine } from '../../src/search/postgres-engine.ts'
import { projectDocuments } from '../../src/search/search-projection.ts'
import { DRIVERS, type TestDatabase } from '../helpers/databases.ts'
import { evaluate } from '../helpers/meili-filter.ts'

/**
 * The visibility key (migration 0015, kept by triggers) against the policy it encodes: random agencies,
 * departments, people with random roles and clearances, documents with random owners, statuses and
 * secrecy, routing paths and grants — then rounds of random changes written as plain SQL (as any future
 * code path would), without re-indexing. After each round, for every actor and level, the documents
 * selected by the key condition on search_entries, by documentVisibility on documents, and by the
 * Meilisearch filter on the projection must be the same set.
 */
const SEED = Number(process.env.VISIBILITY_SEED ?? 20261207)
const ROLES: Role[] = ['clerk', 'leader', 'officer', 'archivist', 'admin']
const STATUSES = ['draft', 'registered', 'submitted', 'assigned', 'in_progress', 'completed', 'archived']

function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe.each(DRIVERS)('visibility key = documentVisibility on $name (seed $seed)', (driver) => {
  if (!driver.available) {
    it.skip('SKIPPED: TEST_DATABASE_URL is not set', () => {})
    return
  }
  const random = rng(SEED)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const chance = (p: number) => random() < p
  let testDb: TestDatabase
  const agencyIds: string[] = []
  const departmentIds = new Map<string, string[]>()
  const people: { id: string; agencyId: string; departmentId: string | null }[] = []
  const actors: Actor[] = []
  const documentIds: string[] = []
  const db = () => testDb.database.db

  const anyDepartment = (agencyId: string) =>
    chance(0.1) ? pick(departmentIds.get(pick(agencyIds))!) : pick(departmentIds.get(agencyId)!)
  const anyPerson = (agencyId: string) =>
    chance(0.1) ? pick(people) : pick(people.filter((p) => p.agencyId === agencyId))

  const randomParticipant = (documentId: string, agencyId: string) => {
    const person = chance(0.5) ? anyPerson(agencyId) : undefined
    return {
      documentId,
      role: pick(['leader', 'lead', 'cooperating', 'informed', 'assignee']),
      userId: person?.id ?? null,
      departmentId: person ? (chance(0.2) ? anyDepartment(agencyId) : null) : anyDepartment(agencyId),
      active: chance(0.8),
    }
  }

  beforeAll(async () => {
    testDb = await driver.open()
    for (const name of ['UBND tỉnh Hòa Giang', 'Sở Tư pháp']) {
      const [agency] = await db().insert(agencies).values({ name, abbreviation: 'CQ' }).returning()
      agencyIds.push(agency!.id)
      const rows = await db()
        .insert(departments)
        .values(['Văn phòng', 'Phòng Kinh tế', 'Phòng Nội vụ'].map((n) => ({ agencyId: agency!.id, name: n, abbreviation: 'P' })))
        .returning()
      departmentIds.set(
        agency!.id,
        rows.map((row) => row.id),
      )
    }
    for (let i = 0; i < 16; i++) {
      const agencyId = i < 12 ? agencyIds[0]! : agencyIds[1]!
      const roles = ROLES.filter(() => chance(0.3))
      const departmentId = chance(0.8) ? pick(departmentIds.get(agencyId)!) : null
      const clearance = Math.floor(random() * 4)
      const [user] = await db()
        .insert(users)
        .values({ agencyId, username: `u${i}-${randomUUID().slice(0, 6)}`, fullName: `U ${i}`, roles, clearance, departmentId, passwordHash: 'x' })
        .returning()
      people.push({ id: user!.id, agencyId, departmentId })
      actors.push({
        userId: user!.id,
        username: user!.username,
        agencyId,
        departmentId,
        roles: new Set(roles),
        clearance,
        totpEnabled: false,
        via: { kind: 'session', sessionId: 's' },
      })
    }
    // Someone the database does not know, and every single role of the first agency with full clearance.
    actors.push({ ...actors[0]!, userId: randomUUID(), roles: new Set(['leader', 'admin']), clearance: 3 })
    for (const role of ROLES)
      actors.push({ ...actors[1]!, roles: new Set([role]), clearance: 3, departmentId: departmentIds.get(agencyIds[0]!)![0]! })
    for (let i = 0; i < 160; i++) {
      const agencyId = chance(0.05) ? null : chance(0.8) ? agencyIds[0]! : agencyIds[1]!
      const [document] = await db()
        .insert(documents)
        .values({
          direction: 'incoming',
          status: pick(STATUSES),
          secrecy: chance(0.6) ? 0 : 1 + Math.floor(random() * 3),
          agencyId,
          ownerDepartmentId: agencyId === null || chance(0.1) ? null : anyDepartment(agencyId),
          subject: `Văn bản ${i}`,
          createdBy: 'test',
        })
        .returning()
      documentIds.push(document!.id)
      const home = agencyId ?? agencyIds[0]!
      for (let p = Math.floor(random() * 4); p > 0; p--) await db().insert(documentParticipants).values(randomParticipant(document!.id, home))
      const grantees = new Set(Array.from({ length: Math.floor(random() * 3) }, () => anyPerson(home).id))
      for (const userId of grantees) await db().insert(documentGrants).values({ documentId: document!.id, userId })
    }
    const engine = new PostgresSearchEngine(testDb.database)
    await engine.upsert((await projectDocuments(db(), documentIds)).documents)
  }, 300_000)
  afterAll(async () => testDb?.dispose())

  /** Random changes to everything the policy reads, as plain SQL: no re-indexing afterwards. */
  async function mutate(count: number) {
    for (let i = 0; i < count; i++) {
      const documentId = pick(documentIds)
      const [document] = await db().select().from(documents).where(eq(documents.id, documentId))
      const home = document!.agencyId ?? agencyIds[0]!
      switch (pick(['status', 'secrecy', 'owner', 'agency', 'add-participant', 'drop-participant', 'edit-participant', 'grant', 'revoke'])) {
        case 'status':
          await db().update(documents).set({ status: pick(STATUSES) }).where(eq(documents.id, documentId))
          break
        case 'secrecy':
          await db().update(documents).set({ secrecy: Math.floor(random() * 4) }).where(eq(documents.id, documentId))
          break
        case 'owner':
          await db()
            .update(documents)
            .set({ ownerDepartmentId: chance(0.2) ? null : anyDepartment(home) })
            .where(eq(documents.id, documentId))
          break
        case 'agency':
          await db()
            .update(documents)
            .set({ agencyId: chance(0.1) ? null : pick(agencyIds) })
            .where(eq(documents.id, documentId))
          break
        case 'add-participant':
          await db().insert(documentParticipants).values(randomParticipant(documentId, home))
          break
        case 'drop-participant': {
          const [row] = await db().select().from(documentParticipants).where(eq(documentParticipants.documentId, documentId)).limit(1)
          if (row) await db().delete(documentParticipants).where(eq(documentParticipants.id, row.id))
          break
        }
        case 'edit-participant': {
          // Moved to another document, person or department: both documents' keys change.
          const [row] = await db().select().from(documentParticipants).limit(1).offset(Math.floor(random() * 50))
          if (row)
            await db()
              .update(documentParticipants)
              .set(chance(0.5) ? { documentId } : { userId: anyPerson(home).id, departmentId: null })
              .where(eq(documentParticipants.id, row.id))
          break
        }
        case 'grant':
          await db().insert(documentGrants).values({ documentId, userId: anyPerson(home).id }).onConflictDoNothing()
          break
        case 'revoke': {
          const [row] = await db().select().from(documentGrants).where(eq(documentGrants.documentId, documentId)).limit(1)
          if (row)
            await db()
              .delete(documentGrants)
              .where(and(eq(documentGrants.documentId, documentId), eq(documentGrants.userId, row.userId)))
          break
        }
      }
    }
  }

  async function expectAgreement(round: string) {
    const projection = await projectDocuments(db(), documentIds)
    for (const actor of actors) {
      for (const level of ['metadata', 'content'] as DocumentAccessLevel[]) {
        const byPolicy = (
          await db()
            .select({ id: documents.id })
            .from(documents)
            .where(and(inArray(documents.id, documentIds), documentVisibility(actor, level)))
        )
          .map((row) => row.id)
          .sort()
        const byKey = (
          await db()
            .select({ id: searchEntries.documentId })
            .from(searchEntries)
            .where(visibilityKeyCondition(sql`${searchEntries.visibilityKeys}`, actor, level))
        )
          .map((row) => row.id)
          .sort()
        const filter = documentVisibilityFilter(actor, level)
        const byFilter = projection.documents
          .filter((document) => evaluate(filter, document as unknown as Record<string, unknown>))
          .map((document) => document.id)
          .sort()
        const who = `${round}: ${[...actor.roles].join('+') || 'no role'} clearance ${actor.clearance} (${level})`
        expect({ who, ids: byKey }).toEqual({ who, ids: byPolicy })
        expect({ who, ids: byFilter }).toEqual({ who, ids: byPolicy })
      }
    }
  }

  it('GIVEN random documents, routings, grants and actors WHEN indexed THEN the key, the policy and the Meilisearch filter select the same documents', async () => {
    await expectAgreement('indexed')
    const visible = await db().select({ n: sql<number>`count(*)::int` }).from(searchEntries).where(sql`array_length(${searchEntries.visibilityKeys}, 1) > 0`)
    expect(Number(visible[0]!.n)).toBeGreaterThan(100)
  })

  it('GIVEN rounds of random changes to statuses, secrecy, owners, agencies, participants and grants WHEN nothing is re-indexed THEN the key still equals the policy after each round', async () => {
    for (let round = 1; round <= 4; round++) {
      await mutate(60)
      // The projection is not re-indexed: the Meilisearch side of the check reads it fresh each round.
      await expectAgreement(`round ${round}`)
    }
  })

  it('GIVEN a change to participants that is rolled back WHEN the key is read THEN it is as before', async () => {
    const documentId = documentIds[0]!
    const [before] = await db().select().from(searchEntries).where(eq(searchEntries.documentId, documentId))
    await expect(
      db().transaction(async (tx) => {
        await tx.insert(documentParticipants).values({ documentId, role: 'lead', userId: people[0]!.id })
        await tx.update(documents).set({ status: 'archived', secrecy: 0 }).where(eq(documents.id, documentId))
        throw new Error('rollback')
      }),
    ).rejects.toThrow('rollback')
    const [after] = await db().select().from(searchEntries).where(eq(searchEntries.documentId, documentId))
    expect(after!.visibilityKeys).toEqual(before!.visibilityKeys)
  })
  it('GIVEN an update of columns the key does not read (số đến, subject, page count) WHEN it commits THEN the key is not recomputed; a status change recomputes it', async () => {
    const documentId = documentIds[1]!
    // A sentinel only a recomputation would replace (written past the entry's own trigger, which would
    // compute the real keys).
    await testDb.database.executeSql('alter table search_entries disable trigger search_entries_visibility')
    await db().update(searchEntries).set({ visibilityKeys: ['sentinel'] }).where(eq(searchEntries.documentId, documentId))
    await testDb.database.executeSql('alter table search_entries enable trigger search_entries_visibility')
    const keysNow = async () => (await db().select().from(searchEntries).where(eq(searchEntries.documentId, documentId)))[0]!.visibilityKeys
    await db().update(documents).set({ arrivalNumber: 9001, subject: 'Đổi trích yếu', pageCount: 3 }).where(eq(documents.id, documentId))
    expect(await keysNow()).toEqual(['sentinel'])
    const [document] = await db().select().from(documents).where(eq(documents.id, documentId))
    await db().update(documents).set({ status: document!.status === 'archived' ? 'completed' : 'archived' }).where(eq(documents.id, documentId))
    expect(await keysNow()).not.toContain('sentinel')
    await expectAgreement('after the narrow updates')
  })
})
