import { and, eq, sql } from 'drizzle-orm'
import type { Executor, Tx } from '../platform/db/database.ts'
import { registerCounters, registers } from '../platform/db/schema/index.ts'

export type RegisterRow = typeof registers.$inferSelect

export async function listRegisters(db: Executor, agencyId: string): Promise<RegisterRow[]> {
  return db.select().from(registers).where(eq(registers.agencyId, agencyId)).orderBy(registers.createdAt)
}

export async function findRegister(db: Executor, agencyId: string, id: string): Promise<RegisterRow | undefined> {
  const [row] = await db.select().from(registers).where(and(eq(registers.agencyId, agencyId), eq(registers.id, id)))
  return row
}

export async function findDefaultRegister(db: Executor, agencyId: string, direction: string, secret: boolean) {
  const [row] = await db
    .select()
    .from(registers)
    .where(and(eq(registers.agencyId, agencyId), eq(registers.direction, direction), eq(registers.secret, secret), eq(registers.active, true)))
    .orderBy(registers.createdAt)
    .limit(1)
  return row
}

export async function insertRegister(db: Executor, row: typeof registers.$inferInsert): Promise<RegisterRow> {
  const [inserted] = await db.insert(registers).values(row).returning()
  return inserted!
}

/**
 * The counter step of a register's yearly series as a CTE (`counter`, column `lastNumber`). The upsert
 * takes the counter row's lock until the transaction ends: concurrent registrations queue, and a rollback
 * returns the number. A statement that writes the number where it belongs uses it in the same round trip.
 */
export function nextNumberCte(tx: Tx, registerId: string, year: number) {
  return tx.$with('counter', { lastNumber: sql<number>`last_number`.as('last_number') }).as(
    sql`insert into ${registerCounters} (register_id, year, last_number) values (${registerId}, ${year}, 1)
        on conflict (register_id, year) do update set last_number = ${registerCounters}.last_number + 1
        returning last_number`,
  )
}

/** The next number of a register's yearly series (see nextNumberCte). */
export async function takeNextNumber(tx: Tx, registerId: string, year: number): Promise<number> {
  const counter = nextNumberCte(tx, registerId, year)
  const [row] = await tx.with(counter).select().from(counter)
  return Number(row!.lastNumber)
}
