import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { vietnamToday } from '../documents/document-fields.ts'
import { filesOf } from '../documents/documents.repository.ts'
import { toDocumentView } from '../documents/documents.views.ts'
import { discardAll, MAX_FIELD_BYTES, readUploadForm } from '../documents/upload-form.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'
import { isUuid } from '../platform/ids.ts'
import { parseIncomingFields } from './incoming-fields.ts'
import { joinScannedImages, registerDraft, registerIncoming, updateDraft } from './incoming.service.ts'
import { suggestIssuers } from './issuers.ts'

const MAX_FILES = 20

const RegisteredSchema = Type.Object({
  id: Type.String(),
  incomingNumber: Nullable(Type.Integer({ description: 'Số đến (null for a draft)' })),
  registerId: Nullable(Type.String()),
  registerYear: Nullable(Type.Integer()),
  status: Type.String(),
  inspectJobId: Nullable(Type.String()),
  document: Type.Ref('Document'),
})

/** Văn bản đến: registration by the clerk (tiếp nhận, đăng ký, cấp số đến). */
export const incomingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app

  app.get(
    '/issuers',
    {
      config: { access: 'document.create' },
      schema: {
        summary: 'Issuing agencies matching what was typed (with or without diacritics), most used first',
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ name: Type.String(), uses: Type.Integer() })) }) },
      },
    },
    async (request) => ({ items: await suggestIssuers(platform.database.db, request.actor!.agencyId, request.query.q) }),
  )

  app.post(
    '/',
    {
      config: { access: 'document.create' },
      schema: {
        summary: 'Register an incoming document: one or more `file` parts plus the register fields',
        description:
          'multipart/form-data. Files: PDF, scanned PDF, PNG/JPEG/TIFF page images (every page, in upload order, joined into one PDF). ' +
          'Fields: issuer, numberNotation, documentDate, kind (name or abbreviation), subject, signer, signerPosition, ' +
          'urgency, secrecy, deadline, receivedDate (default today), receivingDepartment, notes, pageCount, registerId, ' +
          'confirmDuplicate (true to register a suspected duplicate).',
        consumes: ['multipart/form-data'],
        response: { 201: RegisteredSchema, ...problemResponses(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const upload = await readUploadForm(platform, request, MAX_FILES)
      const { form, fieldErrors } = upload
      let staged = upload.staged
      try {
        const parsed = parseIncomingFields(form, vietnamToday())
        const registerId = form.registerId?.trim() || undefined
        if (registerId && !isUuid(registerId)) fieldErrors.push(fieldError('registerId', 'field-invalid-value'))
        const errors = [...fieldErrors, ...(parsed.ok ? [] : parsed.errors)]
        if (!parsed.ok || errors.length > 0) throw new AppError('validation-failed', { errors })
        staged = await joinScannedImages(platform, staged)
        const created = await registerIncoming(
          platform,
          request.actor!,
          parsed.value,
          staged,
          { registerId, confirmDuplicate: form.confirmDuplicate === 'true', draft: form.draft === 'true' },
          auditContextOf(request),
        )
        const { document } = created
        return reply.code(201).send({
          id: document.id,
          incomingNumber: document.arrivalNumber,
          registerId: document.registerId,
          registerYear: document.registerYear,
          status: document.status,
          inspectJobId: created.inspectJobId,
          document: toDocumentView(document, created.files),
        })
      } catch (error) {
        await discardAll(platform, staged)
        throw error
      }
    },
  )

  const DraftParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

  app.patch(
    '/:id',
    {
      config: { access: 'document.create' },
      schema: {
        summary: 'Change the fields of a draft (the same field names as the registration form)',
        params: DraftParams,
        body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: MAX_FIELD_BYTES })),
        response: { 200: Type.Ref('Document'), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const parsed = parseIncomingFields(request.body, vietnamToday())
      if (!parsed.ok) throw new AppError('validation-failed', { errors: parsed.errors })
      const document = await updateDraft(platform, request.actor!, request.params.id, parsed.value, auditContextOf(request))
      return toDocumentView(document, await filesOf(platform.database.db, [document.id]))
    },
  )

  app.post(
    '/:id/register',
    {
      config: { access: 'document.create' },
      schema: {
        summary: 'Register a saved draft: it gets its số đến',
        params: DraftParams,
        body: Type.Object(
          { confirmDuplicate: Type.Optional(Type.Boolean()), registerId: Type.Optional(Type.String({ format: 'uuid' })) },
          { additionalProperties: false },
        ),
        response: { 200: RegisteredSchema, ...problemResponses(400, 404, 409) },
      },
    },
    async (request) => {
      const document = await registerDraft(
        platform,
        request.actor!,
        request.params.id,
        { confirmDuplicate: request.body?.confirmDuplicate ?? false, registerId: request.body?.registerId },
        auditContextOf(request),
      )
      return {
        id: document.id,
        incomingNumber: document.arrivalNumber,
        registerId: document.registerId,
        registerYear: document.registerYear,
        status: document.status,
        inspectJobId: null,
        document: toDocumentView(document, await filesOf(platform.database.db, [document.id])),
      }
    },
  )
}
