/**
 * The demo agency's settings, units, positions and people (scripts/lib/demo-agency.ts), created through
 * the organisation services as its admin would; people that exist are kept as they are. Each person gets
 * an API token for the seed's own calls, revoked by `closeDemoContext`.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { createOwnToken, revokeOwnToken } from '../../src/auth/account.service.ts'
import { findUserByUsername } from '../../src/auth/auth.repository.ts'
import { actorOf } from '../../src/auth/auth.service.ts'
import * as organisation from '../../src/organisation/organisation.service.ts'
import * as organisationRepository from '../../src/organisation/organisation.repository.ts'
import type { Platform } from '../../src/platform/platform.ts'
import { DEMO_AGENCY, DEMO_PEOPLE, DEMO_UNITS, type DemoPersonKey, type DemoUnit } from './demo-agency.ts'
import { type DemoContext, type DemoMember, type DemoWho, demoCalls } from './demo-context.ts'

const SEED = { actor: 'system:seed-demo' }

/** The demo's people's passwords: VANTHU_DEMO_PASSWORD, else a random one each (printed once). */
export interface PeopleResult {
  created: DemoPersonKey[]
  /** username → password, for people created with a random one. */
  randomPasswords: Record<string, string>
}

export async function openDemoContext(
  app: FastifyInstance,
  platform: Platform,
  options: { demoPassword: string | undefined; pin: string; corpusDir: string | undefined; say: (line: string) => void },
): Promise<{ ctx: DemoContext; people: PeopleResult; tokens: { userId: string; tokenId: string }[] }> {
  const { db } = platform.database
  const authDeps = { database: platform.database, secretBox: platform.secretBox, auth: platform.config.auth }
  const adminRow = (await findUserByUsername(db, 'admin'))!
  const adminActor = actorOf(adminRow, { kind: 'session', sessionId: 'seed-demo' })

  const agency = await organisation.getAgency(platform, adminActor)
  if (agency.name !== DEMO_AGENCY.name) {
    await organisation.updateAgency(platform, adminActor, { ...DEMO_AGENCY }, SEED)
  }
  const units = {} as DemoContext['units']
  const existingUnits = await organisationRepository.listDepartments(db, adminActor.agencyId)
  for (const [key, unit] of Object.entries(DEMO_UNITS) as [DemoUnit, (typeof DEMO_UNITS)[DemoUnit]][]) {
    const found = existingUnits.find((row) => row.name === unit.name)
    const row = found ?? (await organisation.createDepartment(platform, adminActor, unit, SEED))
    units[key] = { id: row.id, name: row.name }
  }
  const positions = new Map((await organisationRepository.listPositions(db, adminActor.agencyId)).map((row) => [row.name, row.id]))
  const positionId = async (name: string) => {
    if (!positions.has(name)) positions.set(name, (await organisation.createPosition(platform, adminActor, { name }, SEED)).id)
    return positions.get(name)!
  }

  const result: PeopleResult = { created: [], randomPasswords: {} }
  for (const [key, person] of Object.entries(DEMO_PEOPLE) as [DemoPersonKey, (typeof DEMO_PEOPLE)[DemoPersonKey]][]) {
    if (await findUserByUsername(db, person.username)) continue
    const password = options.demoPassword ?? randomBytes(12).toString('base64url')
    await organisation.createUser(
      platform,
      adminActor,
      {
        username: person.username,
        fullName: person.fullName,
        roles: [...person.roles],
        departmentId: units[person.unit].id,
        positionId: await positionId(person.position),
        clearance: person.clearance,
        password,
      },
      SEED,
    )
    result.created.push(key)
    if (!options.demoPassword) result.randomPasswords[person.username] = password
  }

  // A short-lived token per person for the seed's calls through the API.
  const tokens: { userId: string; tokenId: string }[] = []
  const member = async (username: string): Promise<DemoMember> => {
    const row = (await findUserByUsername(db, username))!
    const actor = actorOf(row, { kind: 'session', sessionId: 'seed-demo' })
    const token = await createOwnToken(authDeps, actor, { name: 'seed:demo', expiresInDays: 1, scopes: ['read', 'write'] }, SEED)
    tokens.push({ userId: row.id, tokenId: token.id })
    return { id: row.id, username: row.username, fullName: row.fullName, actor, headers: { authorization: `Bearer ${token.token}` } }
  }
  const people = { admin: await member('admin') } as Record<DemoWho, DemoMember>
  for (const [key, person] of Object.entries(DEMO_PEOPLE) as [DemoPersonKey, { username: string }][]) {
    people[key] = await member(person.username)
  }
  const calls = demoCalls(app, () => people)
  const ctx: DemoContext = {
    app,
    platform,
    agency: { id: adminActor.agencyId, name: DEMO_AGENCY.name },
    units,
    people,
    pin: options.pin,
    corpusDir: options.corpusDir,
    ...calls,
    say: options.say,
  }
  return { ctx, people: result, tokens }
}

/** Revokes the seed's tokens: nothing it used stays usable. */
export async function closeDemoContext(platform: Platform, ctx: DemoContext, tokens: { userId: string; tokenId: string }[]) {
  const authDeps = { database: platform.database, secretBox: platform.secretBox, auth: platform.config.auth }
  for (const { userId, tokenId } of tokens) {
    const member = Object.values(ctx.people).find((person) => person.id === userId)!
    await revokeOwnToken(authDeps, member.actor, tokenId, SEED)
  }
}
