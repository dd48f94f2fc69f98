/**
 * Sổ đăng ký văn bản đi (ND30 Phụ lục IV, spec §4): the ten columns, one line per document numbered in
 * the date range (by ngày ban hành), in book and number order, only what the caller may see.
 */
import { and, asc, between, eq, inArray, isNotNull } from 'drizzle-orm'
import type { Actor } from '../access/actor.ts'
import { documentVisibility } from '../access/policy.ts'
import type { Database, Executor } from '../platform/db/database.ts'
import {
  departments,
  documents,
  outgoingDocuments,
  outgoingRecipients,
  registers,
} from '../platform/db/schema/index.ts'
import { renderIncomingRegisterPdf } from './register-export.pdf.ts'
import { agencyName } from './register-export.repository.ts'
import { type ExportRequest, type RegisterExport, validateExportRequest } from './register-export.ts'
import { renderIncomingRegisterXlsx } from './register-export.xlsx.ts'
import { type RegisterLayout, type RegisterLine, vietnameseDate } from './register-sheet.ts'

export const OUTGOING_REGISTER_LAYOUT: RegisterLayout = {
  title: 'SỔ ĐĂNG KÝ VĂN BẢN ĐI',
  sheetName: 'Sổ văn bản đi',
  columns: [
    'Số, ký hiệu văn bản',
    'Ngày tháng văn bản',
    'Tên loại và trích yếu nội dung văn bản',
    'Người ký',
    'Nơi nhận văn bản',
    'Đơn vị, người nhận bản lưu',
    'Số lượng bản',
    'Ngày chuyển',
    'Ký nhận',
    'Ghi chú',
  ],
  pdfWeights: [10, 8, 25, 11, 17, 9, 6, 8, 6, 10],
  pdfCentred: new Set([0, 1, 5, 6, 7]),
  xlsxWidths: [16, 12, 42, 18, 30, 14, 9, 12, 12, 20],
  xlsxLeft: new Set([3, 4, 5, 10]),
  emptyText: 'Không có văn bản đi trong khoảng thời gian này',
}

const NOTES: Record<string, string> = {
  revoked: 'Đã thu hồi',
  superseded: 'Đã bị thay thế',
  corrected: 'Đã được đính chính',
  numbered: 'Chưa phát hành',
  sealed: 'Chưa phát hành',
}

export async function selectOutgoingRegister(
  db: Executor,
  actor: Actor,
  range: { from: string; to: string; registerId?: string | undefined },
): Promise<RegisterLine[]> {
  const rows = await db
    .select({ document: documents, outgoing: outgoingDocuments, unit: departments.abbreviation })
    .from(documents)
    .innerJoin(outgoingDocuments, eq(outgoingDocuments.documentId, documents.id))
    .leftJoin(registers, eq(registers.id, documents.registerId))
    .leftJoin(departments, eq(departments.id, outgoingDocuments.draftingDepartmentId))
    .where(
      and(
        eq(documents.direction, 'outgoing'),
        isNotNull(documents.registerYear),
        between(documents.issuedDate, range.from, range.to),
        range.registerId ? eq(documents.registerId, range.registerId) : undefined,
        documentVisibility(actor, 'metadata'),
      ),
    )
    .orderBy(
      asc(registers.createdAt),
      asc(documents.registerId),
      asc(documents.registerYear),
      asc(outgoingDocuments.outgoingNumber),
    )
  const recipients = rows.length
    ? await db
        .select()
        .from(outgoingRecipients)
        .where(
          inArray(
            outgoingRecipients.documentId,
            rows.map((row) => row.document.id),
          ),
        )
        .orderBy(asc(outgoingRecipients.position))
    : []
  const byDocument = new Map<string, (typeof recipients)[number][]>()
  for (const recipient of recipients)
    byDocument.set(recipient.documentId, [...(byDocument.get(recipient.documentId) ?? []), recipient])
  return rows.map(({ document, outgoing, unit }) => {
    const list = byDocument.get(document.id) ?? []
    const delivered = list.filter((r) => r.kind !== 'text')
    const kindAndSubject =
      document.kind && document.subject
        ? `${document.kind}: ${document.subject}`
        : (document.subject ?? document.kind ?? '')
    const signer = [
      [outgoing.authorityPrefix, outgoing.authorityName].filter(Boolean).join(' '),
      document.signerPosition,
      document.signerName,
    ]
      .filter(Boolean)
      .join('\n')
    return [
      `${document.codeNumber}/${document.codeNotation}`,
      vietnameseDate(document.issuedDate),
      kindAndSubject,
      signer,
      list.map((r) => r.label).join('; '),
      ['VT', unit].filter(Boolean).join(', '),
      // The copies sent (one per recipient) and the two file copies (văn thư, drafting unit).
      String(delivered.length + (unit ? 2 : 1)),
      outgoing.issuedAt
        ? vietnameseDate(new Date(outgoing.issuedAt.getTime() + 7 * 3600_000).toISOString().slice(0, 10))
        : '',
      '',
      [NOTES[document.status], document.secrecy > 0 ? 'Mật' : '', outgoing.copyForm ? 'Bản sao' : '']
        .filter(Boolean)
        .join('; '),
    ]
  })
}

/** The sổ đăng ký văn bản đi for a date range (ngày ban hành), as XLSX or PDF. */
export async function exportOutgoingRegister(
  database: Database,
  actor: Actor,
  query: ExportRequest,
): Promise<RegisterExport> {
  const request = validateExportRequest(query)
  const lines = await selectOutgoingRegister(database.db, actor, request)
  const sheet = {
    agencyName: await agencyName(database.db, actor.agencyId),
    from: request.from,
    to: request.to,
    lines,
    layout: OUTGOING_REGISTER_LAYOUT,
  }
  const baseName = `Sổ đăng ký văn bản đi ${request.from} – ${request.to}`
  if (request.format === 'pdf')
    return {
      fileName: `${baseName}.pdf`,
      contentType: 'application/pdf',
      body: await renderIncomingRegisterPdf(sheet),
    }
  return {
    fileName: `${baseName}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await renderIncomingRegisterXlsx(sheet),
  }
}
