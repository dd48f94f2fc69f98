import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../platform/errors.ts'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { problemResponses } from '../platform/http/common.schemas.ts'
import { isUuid } from '../platform/ids.ts'
import type { Platform } from '../platform/platform.ts'
import { parseDraftFields } from './draft-fields.ts'
import { issueDocument, updateDelivery } from './issuing.service.ts'
import { type NumberStamper, numberDocument, previewNumber } from './numbering.service.ts'
import * as schemas from './outgoing.schemas.ts'
import { documentLinks, outgoingView } from './outgoing.views.ts'
import { decideRevocation, revokeDocument } from './revocation.service.ts'
import { numberStamper } from './number-fields.ts'
import { makeCopy } from './copies.service.ts'
import { signingPolicy } from '../signatures/signing/pades-level.ts'
import type { SigningDeps } from '../signatures/signing/signing.service.ts'

export interface LifecycleRouteDeps {
  platform: Platform
  stampNumber?: NumberStamper
}

/** Cấp số, phát hành, theo dõi gửi, thu hồi on /api/documents/:id/… (the documents' own prefix). */
export function outgoingLifecycleRoutes(options: LifecycleRouteDeps): FastifyPluginAsyncTypebox {
  const { platform } = options
  const deps = { ...platform, stampNumber: options.stampNumber ?? numberStamper(platform) }
  return async (app) => {
    const view = (request: { actor?: unknown; params: { id: string } }) =>
      outgoingView(
        platform.database.db,
        request.actor as Parameters<typeof outgoingView>[1],
        request.params.id,
      )

    app.get(
      '/:id/number',
      {
        config: { access: 'outgoing.issue' },
        schema: {
          summary: 'The number the document would get now (the clerk confirms it with POST)',
          params: schemas.IdParams,
          querystring: Type.Object({ registerId: Type.Optional(Type.String({ maxLength: 64 })) }),
          response: { 200: schemas.NumberPreview, ...problemResponses(404, 422) },
        },
      },
      async (request) => previewNumber(platform, request.actor!, request.params.id, request.query),
    )

    app.post(
      '/:id/number',
      {
        config: { access: 'outgoing.issue' },
        schema: {
          summary:
            'Cấp số: the next number of its book for this year, written on the signed PDF (after the leader signs, before the seal)',
          params: schemas.IdParams,
          body: Type.Optional(schemas.NumberBody),
          response: { 200: schemas.NumberResult, ...problemResponses(403, 404, 409, 422) },
        },
      },
      async (request) =>
        numberDocument(deps, request.actor!, request.params.id, request.body ?? {}, auditContextOf(request)),
    )

    app.post(
      '/:id/issue',
      {
        config: { access: 'outgoing.issue' },
        schema: {
          summary:
            'Phát hành a sealed document: internal recipients receive it at once, external ones get a delivery each',
          params: schemas.IdParams,
          body: Type.Optional(schemas.IssueBody),
          response: { 200: { $ref: 'OutgoingDocument' }, ...problemResponses(400, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        const recipients = request.body?.recipients
        if (recipients) {
          const parsed = parseDraftFields({ recipients }, { required: false })
          if (!parsed.ok) throw new AppError('validation-failed', { errors: parsed.errors })
          await issueDocument(
            deps,
            request.actor!,
            request.params.id,
            { recipients: parsed.value.recipients },
            auditContextOf(request),
          )
        } else await issueDocument(deps, request.actor!, request.params.id, {}, auditContextOf(request))
        return view(request)
      },
    )

    app.patch(
      '/:id/deliveries/:recipientId',
      {
        config: { access: 'outgoing.issue' },
        schema: {
          summary:
            'Record the progress of a delivery to an external recipient (sent, delivered, failed; pending resends e-mail)',
          params: schemas.DeliveryParams,
          body: schemas.DeliveryBody,
          response: { 200: { $ref: 'OutgoingDocument' }, ...problemResponses(400, 403, 404, 409) },
        },
      },
      async (request) => {
        await updateDelivery(
          deps,
          request.actor!,
          request.params.id,
          request.params.recipientId,
          request.body,
          auditContextOf(request),
        )
        return view(request)
      },
    )

    app.post(
      '/:id/revocation',
      {
        config: { access: 'outgoing.decide' },
        schema: {
          summary: 'A leader decides to revoke (thu hồi) an issued document; the clerks execute it',
          params: schemas.IdParams,
          body: schemas.ReasonBody,
          response: { 200: { $ref: 'OutgoingDocument' }, ...problemResponses(400, 403, 404, 409) },
        },
      },
      async (request) => {
        await decideRevocation(deps, request.actor!, request.params.id, request.body, auditContextOf(request))
        return view(request)
      },
    )

    app.post(
      '/:id/revoke',
      {
        config: { access: 'outgoing.issue' },
        schema: {
          summary:
            'The clerk executes a leader’s decision to revoke: the document is marked, its recipients told',
          params: schemas.IdParams,
          response: { 200: { $ref: 'OutgoingDocument' }, ...problemResponses(403, 404, 409) },
        },
      },
      async (request) => {
        await revokeDocument(deps, request.actor!, request.params.id, auditContextOf(request))
        return view(request)
      },
    )

    app.get(
      '/:id/outgoing-links',
      {
        config: { access: 'document.read' },
        schema: {
          summary:
            'Documents linked to this one: the reply it answers or the replies it got, replaced, corrected, copies',
          params: schemas.IdParams,
          response: { 200: schemas.LinksSchema, ...problemResponses(404) },
        },
      },
      async (request) => {
        const links = isUuid(request.params.id)
          ? await documentLinks(platform.database.db, request.actor!, request.params.id)
          : undefined
        if (!links) throw new AppError('not-found')
        return links
      },
    )

    const signingDeps: SigningDeps = {
      database: platform.database,
      blobStore: platform.blobStore,
      secretBox: platform.secretBox,
      policy: signingPolicy(platform.config.signing),
      jobs: platform.jobs,
      notificationChannels: platform.notificationChannels,
    }
    app.post(
      '/:id/copies',
      {
        config: { access: 'outgoing.issue' },
        schema: {
          summary:
            'Bản sao: sao y, sao lục or trích sao (chosen pages) — numbered in the copies book (07/SY) and sealed with the copy stamp',
          params: schemas.IdParams,
          body: schemas.CopyBody,
          response: { 201: schemas.CopyResult, ...problemResponses(400, 403, 404, 409, 422, 423) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await makeCopy(
              signingDeps,
              request.actor!,
              request.params.id,
              request.body,
              auditContextOf(request),
            ),
          ),
    )
  }
}
