/**
 * Sổ văn bản đi — the outgoing number books (ND30 Điều 15, spec §2): which book numbers a document, the
 * number it gets (a gapless yearly counter, 01 on 1 January) and how its notation reads (`05/QĐ-UBND`,
 * `05/UBND-VP` for a công văn, `12/2026/QĐ-UBND` for a legal normative document, `07/SY` for a copy).
 * The counter is the incoming registers' one (register_counters): a row locked by the numbering
 * transaction, so concurrent numberings queue, across processes, and a rollback gives the number back.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Executor, Tx } from '../platform/db/database.ts'
import { type BookSeries, registerCounters, type registers } from '../platform/db/schema/index.ts'
import { AppError, type FieldError } from '../platform/errors.ts'
import { isUuid } from '../platform/ids.ts'
import type { RegisterRow } from './registers.repository.ts'
import * as repository from './registers.repository.ts'

/** What a book choice and a notation need to know about the document. */
export interface NumberedDocument {
  agencyId: string
  kindCode: string | null
  secrecy: number
  legalNormative: boolean
  /** A copy (bản sao): SY, SL or TrS. */
  copyForm: string | null
}

export interface NotationParts {
  /** The agency's abbreviation (UBND). */
  agencyAbbreviation: string
  /** The drafting unit's abbreviation (VP), for công văn. */
  unitAbbreviation: string | null
}

const field = (name: string, vi: string, en: string): FieldError => ({
  field: name,
  message: vi,
  messageEn: en,
})

/** Số as printed: zero-padded below 10 (01…09), plain above. */
export function formatNumber(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/**
 * Ký hiệu of a document numbered in `book` in `year`: `{kind}-{issuer}`, `{issuer}-{unit}` for a công
 * văn (no kind abbreviation), the copy form alone for a copy, with `{year}/` in front when the book says.
 */
export function notationFor(
  book: Pick<RegisterRow, 'series' | 'notationIssuer' | 'notationWithYear'> & {
    notationSuffix?: string | null
  },
  document: Pick<NumberedDocument, 'kindCode' | 'copyForm'>,
  parts: NotationParts,
  year: number,
): string {
  if (book.series === 'copies') return document.copyForm ?? 'SY'
  const issuer = book.notationIssuer ?? parts.agencyAbbreviation
  const body = document.kindCode
    ? `${document.kindCode}-${issuer}`
    : [issuer, parts.unitAbbreviation].filter(Boolean).join('-')
  const suffixed = book.notationSuffix ? `${body}-${book.notationSuffix}` : body
  return book.notationWithYear ? `${year}/${suffixed}` : suffixed
}

/**
 * ND30 wants a separate series for secret documents and số + ký hiệu unique in the year; it does not say
 * how the two meet. The secret book vanthu creates marks its notations with -M (configurable per book).
 */
const SECRET_SUFFIX = 'M'

const DEFAULT_BOOKS = {
  administrative: { open: 'Sổ văn bản đi', secret: 'Sổ văn bản đi mật' },
  copies: 'Sổ bản sao văn bản',
} as const

/**
 * The book a document is numbered in: the one asked for (it must suit the document), else copies → the
 * copies book; secret → the secret book; legal normative → the book of its kind; a book reserved for its
 * kind; else the default administrative book. Books are created on first use.
 */
export async function bookFor(
  tx: Tx,
  document: NumberedDocument,
  requestedId?: string,
): Promise<RegisterRow> {
  if (requestedId) return requestedBook(tx, document, requestedId)
  // Two first numberings at once must not create two default books.
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`number-book:${document.agencyId}`}, 0))`,
  )
  const picked = pickBook(await repository.listRegisters(tx, document.agencyId), document)
  return picked.existing ?? repository.insertRegister(tx, picked.create)
}

/** The existing book for the document, or the values of the book to create (see bookFor). */
export function pickBook(all: RegisterRow[], document: NumberedDocument): PickedBook {
  const found = (book: RegisterRow | undefined, create: NewBook): PickedBook =>
    book ? { existing: book, create: undefined } : { existing: undefined, create }
  const books = all.filter((book) => book.direction === 'outgoing' && book.active)
  const secret = document.secrecy > 0
  const base = { agencyId: document.agencyId, direction: 'outgoing' }
  if (document.copyForm)
    return found(
      books.find((book) => book.series === 'copies'),
      { ...base, name: DEFAULT_BOOKS.copies, series: 'copies' },
    )
  if (document.legalNormative && document.kindCode) {
    const kind = document.kindCode
    return found(
      books.find(
        (book) =>
          book.series === 'legal-normative' && book.kindCodes.includes(kind) && book.secret === secret,
      ),
      {
        ...base,
        name: `Sổ văn bản quy phạm pháp luật — ${kind}`,
        series: 'legal-normative',
        kindCodes: [kind],
        notationWithYear: true,
        secret,
        ...(secret ? { notationSuffix: SECRET_SUFFIX } : {}),
      },
    )
  }
  const administrative = books.filter((book) => book.series === 'administrative' && book.secret === secret)
  const kind = document.kindCode
  return found(
    (kind ? administrative.find((book) => book.kindCodes.includes(kind)) : undefined) ??
      administrative.find((book) => book.kindCodes.length === 0),
    secret
      ? { ...base, name: DEFAULT_BOOKS.administrative.secret, secret, notationSuffix: SECRET_SUFFIX }
      : { ...base, name: DEFAULT_BOOKS.administrative.open, secret },
  )
}

type NewBook = typeof registers.$inferInsert
export type PickedBook =
  | { existing: RegisterRow; create: undefined }
  | { existing: undefined; create: NewBook }

/** A book the clerk chose: an active outgoing book of the agency that fits the document (else 422). */
export async function requestedBook(
  db: Executor,
  document: NumberedDocument,
  id: string,
): Promise<RegisterRow> {
  const book = isUuid(id) ? await repository.findRegister(db, document.agencyId, id) : undefined
  const unfit = (vi: string, en: string) =>
    new AppError('validation-failed', { status: 422, errors: [field('registerId', vi, en)] })
  if (!book?.active || book.direction !== 'outgoing')
    throw unfit('Không có sổ văn bản đi này.', 'No such outgoing number book.')
  if (book.secret !== document.secrecy > 0)
    throw unfit(
      'Văn bản mật phải vào sổ mật, văn bản thường vào sổ thường.',
      'Secret documents go into a secret book, others into an open one.',
    )
  if ((book.series === 'copies') !== Boolean(document.copyForm))
    throw unfit('Sổ bản sao chỉ dùng cho bản sao.', 'The copies book numbers copies only.')
  if (book.series === 'legal-normative' && !document.legalNormative)
    throw unfit(
      'Sổ văn bản quy phạm pháp luật chỉ dùng cho văn bản quy phạm pháp luật.',
      'A legal normative book numbers legal normative documents only.',
    )
  if (book.kindCodes.length > 0 && !(document.kindCode && book.kindCodes.includes(document.kindCode)))
    throw unfit(
      `Sổ này dành cho: ${book.kindCodes.join(', ')}.`,
      `This book numbers: ${book.kindCodes.join(', ')}.`,
    )
  return book
}

/** The number the book would give next in `year` (no lock: a preview for the clerk, not a promise). */
export async function peekNextNumber(db: Executor, bookId: string, year: number): Promise<number> {
  const [row] = await db
    .select({ lastNumber: registerCounters.lastNumber })
    .from(registerCounters)
    .where(and(eq(registerCounters.registerId, bookId), eq(registerCounters.year, year)))
  return (row?.lastNumber ?? 0) + 1
}

/** Takes the next number of the book's `year` series inside the numbering transaction (see top). */
export function takeNumber(tx: Tx, bookId: string, year: number): Promise<number> {
  return repository.takeNextNumber(tx, bookId, year)
}

export interface BookInput {
  name: string
  series: BookSeries
  secret?: boolean | undefined
  kindCodes?: string[] | undefined
  notationIssuer?: string | null | undefined
  notationWithYear?: boolean | undefined
  notationSuffix?: string | null | undefined
  active?: boolean | undefined
}

/** Values of a new or changed book, checked: a legal normative book numbers exactly one kind, with the year. */
export function bookValues(input: BookInput): Partial<typeof registers.$inferInsert> {
  const errors: FieldError[] = []
  const name = input.name.normalize('NFC').trim()
  if (!name || name.length > 200)
    errors.push(field('name', 'Tên sổ từ 1 đến 200 ký tự.', 'The name takes 1 to 200 characters.'))
  const kindCodes = [
    ...new Set((input.kindCodes ?? []).map((code) => code.normalize('NFC').trim()).filter(Boolean)),
  ]
  if (input.series === 'legal-normative' && kindCodes.length !== 1)
    errors.push(
      field(
        'kindCodes',
        'Sổ văn bản quy phạm pháp luật dành cho đúng một loại văn bản.',
        'A legal normative book numbers exactly one kind.',
      ),
    )
  const issuer = input.notationIssuer?.normalize('NFC').trim() || null
  if (issuer && !/^[\p{L}\p{N}&]+(?:-[\p{L}\p{N}&]+)*$/u.test(issuer))
    errors.push(field('notationIssuer', 'Chữ viết tắt không hợp lệ.', 'Not a valid abbreviation.'))
  const suffix = input.notationSuffix?.normalize('NFC').trim() || null
  if (suffix && !/^[\p{L}\p{N}&]{1,10}$/u.test(suffix))
    errors.push(field('notationSuffix', 'Hậu tố ký hiệu không hợp lệ.', 'Not a valid notation suffix.'))
  if (input.series === 'advisory' && !issuer)
    errors.push(
      field(
        'notationIssuer',
        'Sổ của hội đồng, ban, tổ tư vấn cần chữ viết tắt của tổ chức đó.',
        'An advisory body’s book needs that body’s abbreviation.',
      ),
    )
  if (errors.length > 0) throw new AppError('validation-failed', { errors })
  return {
    name,
    series: input.series,
    secret: input.secret ?? false,
    kindCodes,
    notationIssuer: issuer,
    notationSuffix: suffix,
    notationWithYear: input.notationWithYear ?? input.series === 'legal-normative',
    ...(input.active === undefined ? {} : { active: input.active }),
  }
}
