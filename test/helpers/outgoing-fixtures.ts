import type { Database } from '../../src/platform/db/database.ts'
import {
  agencies,
  departments,
  documents,
  outgoingDocuments,
  users,
} from '../../src/platform/db/schema/index.ts'

export interface NumberingOrg {
  agencyId: string
  departmentId: string
  userId: string
}

/** An agency (UBND), its office (VP) and one officer: enough for numbering at the database layer. */
export async function numberingOrg(
  database: Database,
  name = 'Ủy ban nhân dân tỉnh Hòa Giang',
): Promise<NumberingOrg> {
  const [agency] = await database.db.insert(agencies).values({ name, abbreviation: 'UBND' }).returning()
  const [office] = await database.db
    .insert(departments)
    .values({ agencyId: agency!.id, name: 'Văn phòng', abbreviation: 'VP' })
    .returning()
  const [officer] = await database.db
    .insert(users)
    .values({
      agencyId: agency!.id,
      username: `cv-${agency!.id.slice(0, 8)}`,
      fullName: 'Lê Thị Hồng Nhung',
      departmentId: office!.id,
      roles: ['officer'],
      passwordHash: 'not-used',
    })
    .returning()
  return { agencyId: agency!.id, departmentId: office!.id, userId: officer!.id }
}

/** Signed outgoing documents (what cấp số starts from), of one kind; their ids. */
export async function signedOutgoingDocuments(
  database: Database,
  org: NumberingOrg,
  count: number,
  options: { kind?: string; kindCode?: string | null; legalNormative?: boolean; secrecy?: number } = {},
): Promise<string[]> {
  const rows = await database.db
    .insert(documents)
    .values(
      Array.from({ length: count }, (_, i) => ({
        direction: 'outgoing',
        status: 'signed',
        kind: options.kind ?? 'Quyết định',
        kindCode: options.kindCode === undefined ? 'QĐ' : options.kindCode,
        subject: `Quyết định số thứ ${i + 1}`,
        secrecy: options.secrecy ?? 0,
        agencyId: org.agencyId,
        ownerDepartmentId: org.departmentId,
        createdBy: `user:${org.userId}`,
      })),
    )
    .returning({ id: documents.id })
  await database.db.insert(outgoingDocuments).values(
    rows.map((row) => ({
      documentId: row.id,
      drafterUserId: org.userId,
      draftingDepartmentId: org.departmentId,
      legalNormative: options.legalNormative ?? false,
    })),
  )
  return rows.map((row) => row.id)
}
