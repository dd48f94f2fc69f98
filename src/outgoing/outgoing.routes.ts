import path from 'node:path'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { decodeCursor, encodeCursor } from '../documents/documents.views.ts'
import type { Platform } from '../platform/platform.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { problemResponses } from '../platform/http/common.schemas.ts'
import { parseDraftFields } from './draft-fields.ts'
import { discardDraftForm, draftFiles, readDraftForm } from './draft-upload.ts'
import { addVersion, createDraft, editDraft } from './drafting.service.ts'
import { type DocxConverter, libreOfficeConverter } from './docx-to-pdf.ts'
import { listOutgoing } from './outgoing-lists.ts'
import * as schemas from './outgoing.schemas.ts'
import { outgoingView } from './outgoing.views.ts'
import { decide, recallDraft, type ReviewDeps, submitDraft } from './review.service.ts'
import { prepareNumberFields } from './number-fields.ts'
import { updateOutgoing } from './outgoing.repository.ts'
import { placeNumberFields } from './placement.service.ts'

/** The deps of the outgoing services; the signing integration adds the PDF steps (number-fields.ts). */
export interface OutgoingRouteDeps {
  platform: Platform
  converter?: DocxConverter
  prepareForSignature?: ReviewDeps['prepareForSignature']
}

export function docxConverterFor(platform: Platform): DocxConverter {
  return libreOfficeConverter({
    command: platform.config.outgoing.libreOffice,
    workDir: path.join(platform.config.dataDir, 'tmp'),
    timeoutMs: platform.config.outgoing.conversionTimeoutMs,
  })
}

/** Soạn thảo, kiểm tra, the lists: /api/outgoing. */
export function outgoingRoutes(options: OutgoingRouteDeps): FastifyPluginAsyncTypebox {
  const { platform } = options
  const converter = options.converter ?? docxConverterFor(platform)
  const deps: ReviewDeps = {
    ...platform,
    prepareForSignature:
      options.prepareForSignature ??
      (async (tx, loaded, context) => {
        const { fileId, fields } = await prepareNumberFields(platform, tx, loaded, context)
        await updateOutgoing(tx, loaded.document.id, { numberFields: fields })
        return fileId
      }),
  }
  return async (app) => {
    const view = (actorId: Parameters<typeof outgoingView>[1], id: string) =>
      outgoingView(platform.database.db, actorId, id)

    app.post(
      '/',
      {
        config: { access: 'outgoing.draft' },
        schema: {
          summary:
            'A new draft (dự thảo): one `file` (PDF, or DOCX converted to PDF by LibreOffice) and its fields',
          description:
            'multipart/form-data. Fields: kind (required), subject (required), signerId, authorityPrefix (TM./KT./Q./TL./TUQ.), ' +
            'authorityName, signerPosition, draftingDepartmentId (default: mine), urgency, secrecy, dueDate (reply deadline), ' +
            'legalNormative, replyToDocumentId, replacesDocumentId, correctsDocumentId, description, recipients (JSON: ' +
            '[{organId, channel}, {departmentId, purpose}, {userId, purpose}, {text}]). A DOCX without LibreOffice answers 422.',
          consumes: ['multipart/form-data'],
          response: { 201: { $ref: 'OutgoingDocument' }, ...problemResponses(400, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const form = await readDraftForm(platform, request, { fileRequired: true })
        let files: Awaited<ReturnType<typeof draftFiles>>
        try {
          const parsed = parseDraftFields(form.form, { required: true })
          const errors = [...form.fieldErrors, ...(parsed.ok ? [] : parsed.errors)]
          if (!parsed.ok || errors.length > 0) throw new AppError('validation-failed', { errors })
          files = await draftFiles(platform, converter, form)
          if (!files) throw new AppError('upload-missing-file')
          const created = await createDraft(
            deps,
            request.actor!,
            parsed.value,
            files,
            auditContextOf(request),
          )
          return reply.code(201).send(await view(request.actor!, created.document.id))
        } catch (error) {
          await discardDraftForm(platform, form, files!)
          throw error
        }
      },
    )

    app.get(
      '/',
      {
        config: { access: 'document.read' },
        schema: {
          summary:
            'Outgoing documents by list: mine, to-review, awaiting-number, awaiting-seal, awaiting-issue, issued, received, all',
          querystring: schemas.ListQuery,
          response: { 200: schemas.ListSchema, ...problemResponses(400) },
        },
      },
      async (request) => {
        const { cursor, limit = 50, view: list = 'all', ...filter } = request.query
        const after = cursor ? decodeCursor(cursor) : undefined
        if (cursor && !after)
          throw new AppError('validation-failed', { errors: [fieldError('cursor', 'field-invalid-value')] })
        const page = await listOutgoing(platform.database.db, request.actor!, {
          ...filter,
          view: list,
          limit,
          after,
        })
        return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null }
      },
    )

    app.get(
      '/:id',
      {
        config: { access: 'document.read' },
        schema: {
          summary:
            'One outgoing document: fields, versions, reviews, recipients and deliveries, what I may do',
          params: schemas.IdParams,
          response: { 200: { $ref: 'OutgoingDocument' }, ...problemResponses(404) },
        },
      },
      async (request) => view(request.actor!, request.params.id),
    )

    app.patch(
      '/:id',
      {
        config: { access: 'outgoing.draft' },
        schema: {
          summary: 'Change the fields of a draft (draft or returned)',
          params: schemas.IdParams,
          body: schemas.EditBody,
          response: { 200: { $ref: 'OutgoingDocument' }, ...problemResponses(400, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        const parsed = parseDraftFields(request.body as Record<string, unknown>, { required: false })
        if (!parsed.ok) throw new AppError('validation-failed', { errors: parsed.errors })
        await editDraft(deps, request.actor!, request.params.id, parsed.value, auditContextOf(request))
        return view(request.actor!, request.params.id)
      },
    )

    app.post(
      '/:id/versions',
      {
        config: { access: 'outgoing.draft' },
        schema: {
          summary:
            'A new version of a draft: `file` (PDF or DOCX) and an optional `note`; earlier versions stay',
          consumes: ['multipart/form-data'],
          params: schemas.IdParams,
          response: {
            201: { $ref: 'OutgoingDocument' },
            ...problemResponses(400, 403, 404, 409, 413, 415, 422),
          },
        },
      },
      async (request, reply) => {
        const form = await readDraftForm(platform, request, { fileRequired: true })
        let files: Awaited<ReturnType<typeof draftFiles>>
        try {
          const unknown = Object.keys(form.form).filter((name) => name !== 'note')
          const errors = [
            ...form.fieldErrors,
            ...unknown.map((name) => fieldError(name, 'field-invalid-value')),
          ]
          const note = form.form.note?.normalize('NFC').trim().slice(0, 500) || null
          if (errors.length > 0) throw new AppError('validation-failed', { errors })
          files = await draftFiles(platform, converter, form)
          if (!files) throw new AppError('upload-missing-file')
          await addVersion(deps, request.actor!, request.params.id, files, note, auditContextOf(request))
          return reply.code(201).send(await view(request.actor!, request.params.id))
        } catch (error) {
          await discardDraftForm(platform, form, files!)
          throw error
        }
      },
    )

    app.post(
      '/:id/submit',
      {
        config: { access: 'outgoing.draft' },
        schema: {
          summary:
            'Submit a draft: to its reviewers in order (content, format), or straight to its signer (trình ký)',
          params: schemas.IdParams,
          body: schemas.SubmitBody,
          response: { 200: { $ref: 'OutgoingDocument' }, ...problemResponses(400, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        await submitDraft(deps, request.actor!, request.params.id, request.body, auditContextOf(request))
        return view(request.actor!, request.params.id)
      },
    )

    app.post(
      '/:id/review',
      {
        config: { access: 'outgoing.review' },
        schema: {
          summary: 'The open review step: approve, or return to the drafter with comments (required)',
          params: schemas.IdParams,
          body: schemas.ReviewBody,
          response: { 200: { $ref: 'OutgoingDocument' }, ...problemResponses(400, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        await decide(deps, request.actor!, request.params.id, request.body, auditContextOf(request))
        return view(request.actor!, request.params.id)
      },
    )

    app.post(
      '/:id/recall',
      {
        config: { access: 'outgoing.draft' },
        schema: {
          summary: 'The drafter takes a draft back from review or from the signer',
          params: schemas.IdParams,
          body: schemas.CommentBody,
          response: { 200: { $ref: 'OutgoingDocument' }, ...problemResponses(400, 403, 404, 409) },
        },
      },
      async (request) => {
        await recallDraft(deps, request.actor!, request.params.id, request.body, auditContextOf(request))
        return view(request.actor!, request.params.id)
      },
    )

    app.put(
      '/:id/number-placement',
      {
        config: { access: 'outgoing.issue' },
        schema: {
          summary:
            'Place the number and date fields on a draft before it is signed (when they were not found on the text layer)',
          params: schemas.IdParams,
          body: schemas.PlacementBody,
          response: { 200: { $ref: 'OutgoingDocument' }, ...problemResponses(400, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        await placeNumberFields(
          platform,
          request.actor!,
          request.params.id,
          request.body,
          auditContextOf(request),
        )
        return view(request.actor!, request.params.id)
      },
    )
  }
}
