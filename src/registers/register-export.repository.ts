import { and, asc, between, eq, isNotNull, type SQL, sql } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import type { Executor } from '../platform/db/database.ts'
import { agencies, documents, registers, routingSteps } from '../platform/db/schema/index.ts'

/** One line of the sổ đăng ký văn bản đến, as stored. */
export interface IncomingRegisterRecord {
  registerName: string | null
  registerYear: number | null
  arrivalDate: string | null
  arrivalNumber: number
  issuerName: string | null
  codeNumber: string | null
  codeNotation: string | null
  issuedDate: string | null
  kind: string | null
  subject: string | null
  toPlaces: string | null
  description: string | null
  /** From the first 'submit' (trình) step: the leader it went to and the day, Vietnam time. */
  submittedTo: string | null
  submittedOn: string | null
}

/** The first trình step of a document: who received it ("Đơn vị hoặc người nhận") and when ("Ngày chuyển"). */
const firstSubmit = (expression: SQL) =>
  sql<string | null>`(select ${expression} from ${routingSteps} where ${routingSteps.documentId} = ${documents.id} and ${routingSteps.action} = 'submit' order by ${routingSteps.seq} limit 1)`

/**
 * Registered incoming documents (with a số đến) that arrived within [from, to], only those the actor may
 * know about, in register order: register, year, số đến.
 */
export async function selectIncomingRegister(
  db: Executor,
  actor: Actor,
  range: { from: string; to: string; registerId?: string | undefined },
): Promise<IncomingRegisterRecord[]> {
  const rows = await db
    .select({
      registerName: registers.name,
      registerYear: documents.registerYear,
      arrivalDate: documents.arrivalDate,
      arrivalNumber: documents.arrivalNumber,
      issuerName: documents.issuerName,
      codeNumber: documents.codeNumber,
      codeNotation: documents.codeNotation,
      issuedDate: documents.issuedDate,
      kind: documents.kind,
      subject: documents.subject,
      toPlaces: documents.toPlaces,
      description: documents.description,
      submittedTo: firstSubmit(sql`${routingSteps.details}->>'leaderName'`),
      submittedOn: firstSubmit(
        sql`to_char(${routingSteps.createdAt} at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')`,
      ),
    })
    .from(documents)
    .leftJoin(registers, eq(registers.id, documents.registerId))
    .where(
      and(
        eq(documents.direction, 'incoming'),
        isNotNull(documents.arrivalNumber),
        between(documents.arrivalDate, range.from, range.to),
        range.registerId ? eq(documents.registerId, range.registerId) : undefined,
        documentVisibility(actor, 'metadata'),
      ),
    )
    .orderBy(asc(registers.createdAt), asc(documents.registerId), asc(documents.registerYear), asc(documents.arrivalNumber))
  return rows.map((row) => ({ ...row, arrivalNumber: row.arrivalNumber! }))
}

export async function agencyName(db: Executor, agencyId: string): Promise<string> {
  const [row] = await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, agencyId))
  return row?.name ?? ''
}
