import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../src/access/actor.ts'
import {
  type DocumentAccessLevel,
  documentVisibility,
  documentVisibilityFilter,
} from '../../src/access/policy.ts'
import type { Role } from '../../src/platform/db/schema/index.ts'
import {
  agencies,
  departments,
  documentGrants,
  documentParticipants,
  documents,
  users,
} from '../../src/platform/db/schema/index.ts'
import { meiliVisibilityFilter } from '../../src/search/meili-request.ts'
import { pgliteDriver, type TestDatabase } from '../helpers/databases.ts'
import { evaluate, type Row } from '../helpers/meili-filter.ts'

const A = '0a000000-0000-4000-8000-00000000000a'
const U = '0b000000-0000-4000-8000-00000000000b'
const D = '0d000000-0000-4000-8000-00000000000d'
const actorOf = (roles: Role[], clearance = 0, departmentId: string | null = D): Actor => ({
  userId: U,
  username: 'u',
  agencyId: A,
  departmentId,
  roles: new Set(roles),
  clearance,
  totpEnabled: false,
  via: { kind: 'session', sessionId: 's' },
})

describe('documentVisibilityFilter: the expressions', () => {
  const cases: [string, DocumentAccessLevel, Actor, string][] = [
    [
      'a clerk without clearance',
      'content',
      actorOf(['clerk']),
      `agencyId = "${A}" AND (ownerDepartmentId = "${D}" OR participantUserIds = "${U}" OR participantDepartmentIds = "${D}") AND secrecy = 0`,
    ],
    [
      'a clerk cleared for Tối mật',
      'content',
      actorOf(['clerk'], 2),
      `agencyId = "${A}" AND (ownerDepartmentId = "${D}" OR participantUserIds = "${U}" OR participantDepartmentIds = "${D}") AND (secrecy = 0 OR (secrecy > 0 AND secrecy <= 2 AND grantedUserIds = "${U}"))`,
    ],
    [
      'a clerk of no department',
      'content',
      actorOf(['clerk'], 0, null),
      `agencyId = "${A}" AND (ownerDepartmentId IS NULL OR participantUserIds = "${U}") AND secrecy = 0`,
    ],
    [
      'a leader cleared for Tuyệt mật',
      'content',
      actorOf(['leader'], 3),
      `agencyId = "${A}" AND (secrecy = 0 OR (secrecy > 0 AND secrecy <= 3 AND grantedUserIds = "${U}"))`,
    ],
    ['a leader without clearance', 'metadata', actorOf(['leader']), `agencyId = "${A}" AND secrecy = 0`],
    [
      'an archivist',
      'content',
      actorOf(['archivist'], 1),
      `agencyId = "${A}" AND (status = "archived" OR participantUserIds = "${U}" OR participantDepartmentIds = "${D}") AND (secrecy = 0 OR (secrecy > 0 AND secrecy <= 1 AND grantedUserIds = "${U}"))`,
    ],
    [
      'an officer (routing path only)',
      'content',
      actorOf(['officer']),
      `agencyId = "${A}" AND (participantUserIds = "${U}" OR participantDepartmentIds = "${D}") AND secrecy = 0`,
    ],
    ['an admin, metadata', 'metadata', actorOf(['admin'], 0, null), `agencyId = "${A}" AND secrecy = 0`],
    [
      'an admin, content',
      'content',
      actorOf(['admin'], 0, null),
      `agencyId = "${A}" AND participantUserIds = "${U}" AND secrecy = 0`,
    ],
    [
      'an admin with clearance, metadata',
      'metadata',
      actorOf(['admin'], 2, null),
      `agencyId = "${A}" AND (secrecy = 0 OR (participantUserIds = "${U}" AND secrecy > 0 AND secrecy <= 2 AND grantedUserIds = "${U}"))`,
    ],
  ]
  it.each(cases)(
    'GIVEN %s WHEN filtered for %s THEN the expression is exact',
    (_name, level, actor, expected) => {
      expect(documentVisibilityFilter(actor, level)).toBe(expected)
    },
  )

  it('GIVEN an actor whose id is not a uuid WHEN a filter is built THEN it throws instead of interpolating it', () => {
    const forged = { ...actorOf(['leader']), userId: 'x" OR agencyId != "y' }
    expect(() => documentVisibilityFilter(forged, 'content')).toThrow(/not a uuid/)
    expect(() => documentVisibilityFilter({ ...actorOf(['clerk']), departmentId: 'D1' }, 'content')).toThrow()
    expect(() =>
      documentVisibilityFilter({ ...actorOf(['leader']), clearance: Number.NaN }, 'content'),
    ).toThrow()
  })

  it('GIVEN a secret document WHEN only a grant or only clearance is present THEN it stays hidden', () => {
    const doc = {
      agencyId: A,
      ownerDepartmentId: D,
      status: 'registered',
      secrecy: 2,
      participantUserIds: [],
    }
    const filter = (clearance: number) => documentVisibilityFilter(actorOf(['leader'], clearance), 'content')
    expect(evaluate(filter(3), { ...doc, grantedUserIds: [U] })).toBe(true)
    expect(evaluate(filter(3), { ...doc, grantedUserIds: [] })).toBe(false)
    expect(evaluate(filter(1), { ...doc, grantedUserIds: [U] })).toBe(false)
    expect(evaluate(filter(0), { ...doc, grantedUserIds: [U] })).toBe(false)
  })
})

/**
 * The same fixtures through both: documentVisibility as SQL on a migrated PGlite, and the filter
 * through the evaluator above over the indexed attributes. Every actor × level must agree.
 */
describe('documentVisibilityFilter agrees with documentVisibility (PGlite)', () => {
  let test: TestDatabase
  const actors: Record<string, Actor> = {}
  const records = new Map<string, Row>()

  beforeAll(async () => {
    test = await pgliteDriver.open()
    const db = test.database.db
    const [agency, other] = await db
      .insert(agencies)
      .values([
        { name: 'UBND tỉnh Hòa Giang', abbreviation: 'UBND' },
        { name: 'Sở Tư pháp', abbreviation: 'STP' },
      ])
      .returning()
    const [d1, d2] = await db
      .insert(departments)
      .values([
        { agencyId: agency!.id, name: 'Văn phòng', abbreviation: 'VP' },
        { agencyId: agency!.id, name: 'Phòng Kinh tế', abbreviation: 'KT' },
      ])
      .returning()
    const people: [string, Role[], number, string | null, string][] = [
      ['clerk', ['clerk'], 0, d1!.id, agency!.id],
      ['clerkCleared', ['clerk'], 2, d1!.id, agency!.id],
      ['clerkNoDepartment', ['clerk'], 0, null, agency!.id],
      ['leader', ['leader'], 3, d1!.id, agency!.id],
      ['leaderUncleared', ['leader'], 0, null, agency!.id],
      ['archivist', ['archivist'], 1, d2!.id, agency!.id],
      ['officer', ['officer'], 0, d2!.id, agency!.id],
      ['officerCleared', ['officer'], 3, d2!.id, agency!.id],
      ['admin', ['admin'], 0, null, agency!.id],
      ['adminLeader', ['admin', 'leader'], 2, null, agency!.id],
      ['otherLeader', ['leader'], 3, null, other!.id],
    ]
    for (const [name, roles, clearance, departmentId, agencyId] of people) {
      const [user] = await db
        .insert(users)
        .values({
          agencyId,
          username: name.toLowerCase(),
          fullName: name,
          roles,
          clearance,
          departmentId,
          passwordHash: 'x',
        })
        .returning()
      actors[name] = { ...actorOf(roles, clearance, departmentId), userId: user!.id, agencyId }
    }
    const granted = [
      [],
      [actors.clerkCleared!.userId, actors.leader!.userId, actors.officerCleared!.userId],
      [actors.adminLeader!.userId, actors.archivist!.userId, actors.clerk!.userId],
    ]
    const participants: ({ userId: string } | { departmentId: string })[][] = [
      [],
      [{ userId: actors.officer!.userId }],
      [{ departmentId: d2!.id }],
      [{ userId: actors.admin!.userId }, { userId: actors.officerCleared!.userId }],
    ]
    for (const agencyId of [agency!.id, other!.id]) {
      for (const owner of [d1!.id, d2!.id, null]) {
        for (const status of ['registered', 'archived']) {
          for (const secrecy of [0, 1, 3]) {
            for (const [p, onPath] of participants.entries()) {
              for (const [g, grants] of granted.entries()) {
                if (agencyId === other!.id && (p > 1 || g > 1)) continue
                const id = randomUUID()
                await db.insert(documents).values({
                  id,
                  agencyId,
                  ownerDepartmentId: agencyId === agency!.id ? owner : null,
                  direction: 'incoming',
                  status,
                  secrecy,
                  createdBy: 'test',
                })
                for (const who of onPath)
                  await db.insert(documentParticipants).values({ documentId: id, role: 'lead', ...who })
                for (const userId of grants)
                  await db.insert(documentGrants).values({ documentId: id, userId })
                records.set(id, {
                  agencyId,
                  ownerDepartmentId: agencyId === agency!.id ? owner : null,
                  status,
                  secrecy,
                  participantUserIds: onPath.flatMap((who) => ('userId' in who ? [who.userId] : [])),
                  participantDepartmentIds: onPath.flatMap((who) =>
                    'departmentId' in who ? [who.departmentId] : [],
                  ),
                  grantedUserIds: grants,
                })
              }
            }
          }
        }
      }
    }
  })
  afterAll(async () => {
    await test?.dispose()
  })

  const visibleBySql = async (actor: Actor, level: DocumentAccessLevel) => {
    const rows = await test.database.db
      .select({ id: documents.id })
      .from(documents)
      .where(documentVisibility(actor, level))
    return rows.map((row) => row.id).sort()
  }
  const visibleByFilter = (filter: string, extra: Row = {}) =>
    [...records.entries()]
      .filter(([, row]) => evaluate(filter, { ...row, ...extra }))
      .map(([id]) => id)
      .sort()

  for (const level of ['metadata', 'content'] as const) {
    it(`GIVEN every role combination WHEN asked for ${level} THEN the filter selects exactly the rows the SQL does`, async () => {
      for (const [name, actor] of Object.entries(actors)) {
        const expected = await visibleBySql(actor, level)
        expect({ name, ids: visibleByFilter(documentVisibilityFilter(actor, level)) }).toEqual({
          name,
          ids: expected,
        })
        if (name !== 'otherLeader') expect(expected.length, name).toBeGreaterThan(0)
        expect(expected.length, name).toBeLessThan(records.size)
      }
    })
  }

  it('GIVEN the index filter WHEN matched on page records THEN only openable documents match; on metadata records, all visible ones', async () => {
    for (const [name, actor] of Object.entries(actors)) {
      const filter = meiliVisibilityFilter(actor)
      expect({ name, ids: visibleByFilter(filter, { pageNumber: 3 }) }).toEqual({
        name,
        ids: await visibleBySql(actor, 'content'),
      })
      expect({ name, ids: visibleByFilter(filter, { pageNumber: null }) }).toEqual({
        name,
        ids: await visibleBySql(actor, 'metadata'),
      })
    }
  })
})
