import { sql } from 'drizzle-orm'
import { SECRECY_LEVELS, URGENCY_LEVELS } from '../documents/document-fields.ts'
import type { Executor } from '../platform/db/database.ts'
import { searchEntries, searchPages } from '../platform/db/schema/index.ts'
import type { SearchDocument } from './search-engine.ts'
import { compoundTokens, notationParts } from './search-text.ts'

/**
 * How the embedded engine stores a document: one search_entries row (metadata vectors, the whole
 * document's vectors, filter fields; the visibility key is the database's own, see migration 0015) and
 * one search_pages row per page (text and vector, for snippets and for long documents).
 */

/**
 * `body` holds a document's text up to this length, twice (folded, then exact): within tsvector's 16,383
 * positions and 1 MB. A longer document is matched on its pages (search_pages.long_text, own index).
 */
export const LONG_TEXT_CHARS = 30_000

function pagesLength(document: SearchDocument): number {
  return document.pages.reduce((sum, page) => sum + page.text.length + 1, 0)
}

/** Longer than `body` holds: matched on its pages instead. */
export function isLongText(document: SearchDocument): boolean {
  return pagesLength(document) > LONG_TEXT_CHARS
}

/** Weight A: số/ký hiệu and trích yếu; B: issuer, kind, signer, urgency and secrecy. */
function metadataTexts(document: SearchDocument) {
  const notation = document.numberNotation ?? ''
  const subject = document.subject ?? ''
  const primary = [notation, notationParts(notation), subject].join(' ; ')
  // The độ khẩn / độ mật stamps are words users search for ("hỏa tốc"), and OCR often misses stamps.
  const secondary = [
    document.issuerName,
    document.kind,
    document.kindCode,
    document.signerName,
    document.urgency > 0 ? URGENCY_LEVELS[document.urgency] : null,
    document.secrecy > 0 ? SECRECY_LEVELS[document.secrecy] : null,
  ]
    .filter((value) => value)
    .join(' ; ')
  return { primary, secondary, compounds: `${notation} ${subject}` }
}

/** The extra words of a text (the parts of its numbers, its compounds whole), found once per page. */
interface PageExtras {
  folded: string
  exact: string
}
const extrasCache = new WeakMap<object, PageExtras>()
function extrasOf(page: SearchDocument['pages'][number]): PageExtras {
  let extras = extrasCache.get(page)
  if (!extras) {
    extras = {
      folded: `${notationParts(page.text)} ${compoundTokens(page.text)}`,
      exact: compoundTokens(page.text, { exact: true }),
    }
    extrasCache.set(page, extras)
  }
  return extras
}

function entryRow(document: SearchDocument) {
  const { primary, secondary, compounds } = metadataTexts(document)
  // The pages `body` holds (whole pages, up to LONG_TEXT_CHARS; a longer document is matched on its pages).
  const held: SearchDocument['pages'] = []
  let length = 0
  for (const page of document.pages) {
    length += page.text.length + 1
    if (length > LONG_TEXT_CHARS) break
    held.push(page)
  }
  const pages = held.map((page) => page.text).join('\n')
  const text = `${primary} ;\n${secondary} ;\n${pages}`
  const primaryCompounds = compoundTokens(compounds)
  const extra = `${primaryCompounds} ${held.map((page) => extrasOf(page).folded).join(' ')}`
  const extraExact = `${compoundTokens(compounds, { exact: true })} ${held.map((page) => extrasOf(page).exact).join(' ')}`
  return {
    documentId: document.id,
    agencyId: document.agencyId,
    direction: document.direction,
    status: document.status,
    kind: document.kind,
    issuerName: document.issuerName,
    issuedDate: document.issuedDate,
    arrivalDate: document.arrivalDate,
    registerId: document.registerId,
    departmentIds: document.departmentIds,
    secrecy: document.secrecy,
    hasSignature: document.hasSignature,
    numberNotation: document.numberNotation ? sql`vanthu_fold(${document.numberNotation})` : null,
    exact: sql`setweight(to_tsvector('simple', ${`${primary} ${compoundTokens(compounds, { exact: true })}`}), 'A') || setweight(to_tsvector('simple', ${secondary}), 'B')`,
    folded: sql`setweight(to_tsvector('simple', vanthu_fold(${primary})) || to_tsvector('simple', ${primaryCompounds}), 'A') || setweight(to_tsvector('simple', vanthu_fold(${secondary})), 'B')`,
    // Folded first, then exact: a folded query finds the first half (and undiacritised words of the
    // second, the same text), a query with diacritics the second.
    body: sql`to_tsvector('simple', vanthu_fold(${text})) || to_tsvector('simple', vanthu_fold(${extra})) || to_tsvector('simple', ${text}) || to_tsvector('simple', ${extraExact})`,
    longText: isLongText(document),
    sortDate: document.issuedDate ?? document.arrivalDate ?? '0001-01-01',
    indexedAt: new Date(),
  }
}

/** Inserts or replaces the entries of these documents (one statement). */
export async function upsertEntries(tx: Executor, list: SearchDocument[]): Promise<void> {
  const rows = list.map(entryRow)
  const columns = Object.keys(rows[0]!).filter((key) => key !== 'documentId') as (keyof typeof rows[0])[]
  await tx
    .insert(searchEntries)
    .values(rows)
    .onConflictDoUpdate({
      target: searchEntries.documentId,
      set: Object.fromEntries(
        columns.map((key) => [key, sql.raw(`excluded.${searchEntries[key as keyof typeof searchEntries.$inferInsert].name}`)]),
      ),
    })
}

/** Inserts the pages of these documents (their old pages deleted first by the caller). */
export async function insertPages(tx: Executor, list: SearchDocument[]): Promise<void> {
  const pages = list.flatMap((document) =>
    document.pages.map((page) => ({ page, documentId: document.id, longText: isLongText(document) })),
  )
  for (let i = 0; i < pages.length; i += 200) {
    await tx.insert(searchPages).values(
      pages.slice(i, i + 200).map(({ page, documentId, longText }) => ({
        documentId,
        fileId: page.fileId,
        pageNumber: page.pageNumber,
        text: page.text,
        folded: sql`to_tsvector('simple', vanthu_fold(${page.text})) || to_tsvector('simple', vanthu_fold(${extrasOf(page).folded}))`,
        longText,
      })),
    )
  }
}
