import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { appendAuditEvent } from '../audit/audit.service.ts'
import { AppError } from '../platform/errors.ts'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'
import { isUuid } from '../platform/ids.ts'
import type { Platform } from '../platform/platform.ts'
import { BOOK_SERIES, registers } from '../platform/db/schema/index.ts'
import { and, eq } from 'drizzle-orm'
import { bookValues, peekNextNumber } from '../registers/number-books.ts'
import * as registersRepository from '../registers/registers.repository.ts'
import { vietnamToday } from '../documents/document-fields.ts'
import * as repository from './outgoing.repository.ts'

const AGENCY_CODE = /^[0-9A-Za-z]{1,5}(?:\.[0-9A-Za-z]{1,5}){0,5}$/

const AgencySchema = Type.Object({
  id: Type.String(),
  organId: Type.String({ description: 'Mã định danh, e.g. 000.00.00.G09' }),
  name: Type.String(),
  email: Nullable(Type.String()),
  address: Nullable(Type.String()),
  active: Type.Boolean(),
})
const AgencyBody = Type.Object(
  {
    organId: Type.String({ minLength: 1, maxLength: 35 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Nullable(Type.String({ maxLength: 200, format: 'email' }))),
    address: Type.Optional(Nullable(Type.String({ maxLength: 250 }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

const BookSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  series: Type.String({ description: 'administrative | legal-normative | advisory | copies' }),
  secret: Type.Boolean(),
  kindCodes: Type.Array(Type.String()),
  notationIssuer: Nullable(Type.String()),
  notationSuffix: Nullable(Type.String()),
  notationWithYear: Type.Boolean(),
  active: Type.Boolean(),
  nextNumber: Type.Integer({ description: 'The number it gives next this year' }),
})
const BookBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    series: Type.Union(BOOK_SERIES.map((s) => Type.Literal(s))),
    secret: Type.Optional(Type.Boolean()),
    kindCodes: Type.Optional(Type.Array(Type.String({ maxLength: 10 }), { maxItems: 40 })),
    notationIssuer: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    notationSuffix: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
    notationWithYear: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) })

/** The directory of external agencies (/api/outgoing/agencies) and the number books (/api/outgoing/books). */
export function outgoingDirectoryRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const { db } = platform.database
  const agencyView = (row: repository.ExternalAgencyRow) => ({
    id: row.id,
    organId: row.organId,
    name: row.name,
    email: row.email,
    address: row.address,
    active: row.active,
  })
  const checkedAgency = (body: {
    organId: string
    name: string
    email?: string | null | undefined
    address?: string | null | undefined
  }) => {
    const organId = body.organId.trim()
    if (!AGENCY_CODE.test(organId))
      throw new AppError('validation-failed', {
        errors: [
          {
            field: 'organId',
            message: 'Mã định danh không hợp lệ (ví dụ 000.00.00.G09).',
            messageEn: 'Not a valid identifier (e.g. 000.00.00.G09).',
          },
        ],
      })
    return {
      organId,
      name: body.name.normalize('NFC').trim(),
      email: body.email?.trim() || null,
      address: body.address?.normalize('NFC').trim() || null,
    }
  }
  return async (app) => {
    app.get(
      '/agencies',
      {
        config: { access: 'directory.read' },
        schema: {
          summary: 'External agencies documents are sent to (by mã định danh)',
          querystring: Type.Object({ includeInactive: Type.Optional(Type.Boolean()) }),
          response: { 200: Type.Object({ items: Type.Array(AgencySchema) }) },
        },
      },
      async (request) => ({
        items: (
          await repository.listExternalAgencies(
            db,
            request.actor!.agencyId,
            request.query.includeInactive ?? false,
          )
        ).map(agencyView),
      }),
    )

    app.post(
      '/agencies',
      {
        config: { access: 'outgoing.agencies.manage' },
        schema: {
          summary: 'Add an agency to the directory',
          body: AgencyBody,
          response: { 201: AgencySchema, ...problemResponses(400, 403, 409) },
        },
      },
      async (request, reply) => {
        const values = checkedAgency(request.body)
        const row = await db.transaction(async (tx) => {
          const [existing] = await repository.externalAgenciesByOrganId(tx, request.actor!.agencyId, [
            values.organId,
          ])
          if (existing)
            throw new AppError('already-exists', { detail: `${values.organId}: ${existing.name}` })
          const inserted = await repository.insertExternalAgency(tx, {
            ...values,
            agencyId: request.actor!.agencyId,
            active: request.body.active ?? true,
          })
          await appendAuditEvent(tx, auditContextOf(request), {
            action: 'outgoing.agency-added',
            targetType: 'external-agency',
            targetId: inserted.id,
            details: { organId: inserted.organId, name: inserted.name },
          })
          return inserted
        })
        return reply.code(201).send(agencyView(row))
      },
    )

    app.patch(
      '/agencies/:id',
      {
        config: { access: 'outgoing.agencies.manage' },
        schema: {
          summary: 'Change an agency of the directory (or retire it: active=false)',
          params: Params,
          body: AgencyBody,
          response: { 200: AgencySchema, ...problemResponses(400, 403, 404) },
        },
      },
      async (request) => {
        if (!isUuid(request.params.id)) throw new AppError('not-found')
        const values = checkedAgency(request.body)
        const row = await db.transaction(async (tx) => {
          const updated = await repository.updateExternalAgency(
            tx,
            request.actor!.agencyId,
            request.params.id,
            {
              ...values,
              ...(request.body.active === undefined ? {} : { active: request.body.active }),
            },
          )
          if (!updated) throw new AppError('not-found')
          await appendAuditEvent(tx, auditContextOf(request), {
            action: 'outgoing.agency-changed',
            targetType: 'external-agency',
            targetId: updated.id,
            details: { organId: updated.organId, name: updated.name, active: updated.active },
          })
          return updated
        })
        return agencyView(row)
      },
    )

    const bookView = async (book: registersRepository.RegisterRow) => ({
      id: book.id,
      name: book.name,
      series: book.series,
      secret: book.secret,
      kindCodes: book.kindCodes,
      notationIssuer: book.notationIssuer,
      notationSuffix: book.notationSuffix,
      notationWithYear: book.notationWithYear,
      active: book.active,
      nextNumber: await peekNextNumber(db, book.id, Number(vietnamToday().slice(0, 4))),
    })

    app.get(
      '/books',
      {
        config: { access: 'document.read' },
        schema: {
          summary: 'The agency’s outgoing number books (sổ văn bản đi) and the number each gives next',
          response: { 200: Type.Object({ items: Type.Array(BookSchema) }) },
        },
      },
      async (request) => {
        const books = (await registersRepository.listRegisters(db, request.actor!.agencyId)).filter(
          (b) => b.direction === 'outgoing',
        )
        return { items: await Promise.all(books.map(bookView)) }
      },
    )

    app.post(
      '/books',
      {
        config: { access: 'outgoing.books.manage' },
        schema: {
          summary: 'Add a number book (a series decided by the head of the agency)',
          body: BookBody,
          response: { 201: BookSchema, ...problemResponses(400, 403) },
        },
      },
      async (request, reply) => {
        const values = bookValues(request.body)
        const book = await db.transaction(async (tx) => {
          const inserted = await registersRepository.insertRegister(tx, {
            ...values,
            name: values.name!,
            agencyId: request.actor!.agencyId,
            direction: 'outgoing',
          })
          await appendAuditEvent(tx, auditContextOf(request), {
            action: 'outgoing.book-added',
            targetType: 'register',
            targetId: inserted.id,
            details: { ...values },
          })
          return inserted
        })
        return reply.code(201).send(await bookView(book))
      },
    )

    app.patch(
      '/books/:id',
      {
        config: { access: 'outgoing.books.manage' },
        schema: {
          summary: 'Change a number book (its counter is never changed: numbers stay gapless)',
          params: Params,
          body: BookBody,
          response: { 200: BookSchema, ...problemResponses(400, 403, 404) },
        },
      },
      async (request) => {
        if (!isUuid(request.params.id)) throw new AppError('not-found')
        const values = bookValues(request.body)
        const book = await db.transaction(async (tx) => {
          const [updated] = await tx
            .update(registers)
            .set(values)
            .where(
              and(
                eq(registers.id, request.params.id),
                eq(registers.agencyId, request.actor!.agencyId),
                eq(registers.direction, 'outgoing'),
              ),
            )
            .returning()
          if (!updated) throw new AppError('not-found')
          await appendAuditEvent(tx, auditContextOf(request), {
            action: 'outgoing.book-changed',
            targetType: 'register',
            targetId: updated.id,
            details: { ...values },
          })
          return updated
        })
        return bookView(book)
      },
    )
  }
}
