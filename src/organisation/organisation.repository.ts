import { and, asc, eq, ilike, or } from 'drizzle-orm'
import type { Executor } from '../platform/db/database.ts'
import { agencies, departments, positions, users } from '../platform/db/schema/index.ts'

export type AgencyRow = typeof agencies.$inferSelect
export type DepartmentRow = typeof departments.$inferSelect
export type PositionRow = typeof positions.$inferSelect

export async function countUsers(db: Executor): Promise<number> {
  const rows = await db.select({ id: users.id }).from(users).limit(1)
  return rows.length
}

export async function insertAgency(db: Executor, row: typeof agencies.$inferInsert) {
  const [inserted] = await db.insert(agencies).values(row).returning()
  return inserted!
}

export async function updateAgency(db: Executor, id: string, values: Partial<typeof agencies.$inferInsert>) {
  const [row] = await db.update(agencies).set({ ...values, updatedAt: new Date() }).where(eq(agencies.id, id)).returning()
  return row
}

export async function listDepartments(db: Executor, agencyId: string) {
  return db.select().from(departments).where(eq(departments.agencyId, agencyId)).orderBy(asc(departments.sortOrder), asc(departments.name))
}

export async function findDepartment(db: Executor, agencyId: string, id: string) {
  const [row] = await db.select().from(departments).where(and(eq(departments.agencyId, agencyId), eq(departments.id, id)))
  return row
}

export async function insertDepartment(db: Executor, row: typeof departments.$inferInsert) {
  const [inserted] = await db.insert(departments).values(row).returning()
  return inserted!
}

export async function updateDepartment(db: Executor, id: string, values: Partial<typeof departments.$inferInsert>) {
  const [row] = await db.update(departments).set({ ...values, updatedAt: new Date() }).where(eq(departments.id, id)).returning()
  return row!
}

export async function listPositions(db: Executor, agencyId: string) {
  return db.select().from(positions).where(eq(positions.agencyId, agencyId)).orderBy(asc(positions.sortOrder), asc(positions.name))
}

export async function findPosition(db: Executor, agencyId: string, id: string) {
  const [row] = await db.select().from(positions).where(and(eq(positions.agencyId, agencyId), eq(positions.id, id)))
  return row
}

export async function insertPosition(db: Executor, row: typeof positions.$inferInsert) {
  const [inserted] = await db.insert(positions).values(row).returning()
  return inserted!
}

export async function updatePosition(db: Executor, id: string, values: Partial<typeof positions.$inferInsert>) {
  const [row] = await db.update(positions).set({ ...values, updatedAt: new Date() }).where(eq(positions.id, id)).returning()
  return row!
}

export async function listUsers(db: Executor, agencyId: string, query: string | undefined) {
  const pattern = query ? `%${query.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : undefined
  return db
    .select({ user: users, departmentName: departments.name, positionName: positions.name })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .leftJoin(positions, eq(positions.id, users.positionId))
    .where(and(eq(users.agencyId, agencyId), pattern ? or(ilike(users.fullName, pattern), ilike(users.username, pattern)) : undefined))
    .orderBy(asc(users.fullName))
    .limit(500)
}

export async function insertUser(db: Executor, row: typeof users.$inferInsert) {
  const [inserted] = await db.insert(users).values(row).returning()
  return inserted!
}
