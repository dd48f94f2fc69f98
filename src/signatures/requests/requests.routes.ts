import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { problemResponses } from '../../platform/http/common.schemas.ts'
import type { Platform } from '../../platform/platform.ts'
import { CreateBody, IdParams, ListQuery, RefuseBody, SignatureRequestSchema } from './requests.schemas.ts'
import * as service from './requests.service.ts'

const RequestRef = Type.Ref('SignatureRequest')

/** Trình ký: signature requests, the leader's "chờ ký" queue, refusal with a reason. */
export const signatureRequestRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const deps: service.RequestsDeps = {
      database: platform.database,
      jobs: platform.jobs,
      notificationChannels: platform.notificationChannels,
    }
    app.addSchema(SignatureRequestSchema)

    app.post(
      '/documents/:id/signature-requests',
      {
        config: { access: 'signature.request' },
        schema: {
          summary: "Trình ký: put the document's newest PDF before a leader for signature",
          description:
            '422 when the signer is not an active leader of the agency who can open the document (errors name ' +
            'signerId); 409 when the document has no PDF, or a request is pending (its id in `signatureRequestId`).',
          params: IdParams,
          body: CreateBody,
          response: { 201: RequestRef, ...problemResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const view = await service.createRequest(
          deps,
          request.actor!,
          request.params.id,
          request.body,
          auditContextOf(request),
        )
        return reply.code(201).send(view)
      },
    )

    app.get(
      '/documents/:id/signature-requests',
      {
        config: { access: 'document.read' },
        schema: {
          summary: "The document's signature requests, newest first",
          params: IdParams,
          response: {
            200: Type.Object({ items: Type.Array(RequestRef) }),
            ...problemResponses(401, 403, 404),
          },
        },
      },
      async (request) => service.listForDocument(deps, request.actor!, request.params.id),
    )

    app.get(
      '/signature-requests',
      {
        config: { access: 'signature.request' },
        schema: {
          summary: 'Signature requests: mine (the leader\'s "chờ ký" queue) or sent (what I put forward)',
          description:
            'scope=mine needs the leader role. The pending queue (scope=mine, state=pending) lists the most ' +
            'urgent first, then the nearest due date, then the longest waiting; other lists the latest ' +
            'activity first. Only documents the caller can still open.',
          querystring: ListQuery,
          response: {
            200: Type.Object({ items: Type.Array(RequestRef), total: Type.Integer() }),
            ...problemResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const { scope = 'mine', state = 'pending', limit = 50, offset = 0 } = request.query
        return service.listRequests(deps, request.actor!, { scope, state, limit, offset })
      },
    )

    app.get(
      '/signature-requests/count',
      {
        config: { access: 'signature.sign' },
        schema: {
          summary: 'How many requests await my signature (the menu badge)',
          response: { 200: Type.Object({ pending: Type.Integer() }), ...problemResponses(401, 403) },
        },
      },
      async (request) => service.countPending(deps, request.actor!),
    )

    app.post(
      '/signature-requests/:id/refuse',
      {
        config: { access: 'signature.sign' },
        schema: {
          summary: 'The signer sends the document back unsigned, with a reason the requester is told',
          params: IdParams,
          body: RefuseBody,
          response: { 200: RequestRef, ...problemResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) =>
        service.refuseRequest(deps, request.actor!, request.params.id, request.body, auditContextOf(request)),
    )

    app.post(
      '/signature-requests/:id/withdraw',
      {
        config: { access: 'signature.request' },
        schema: {
          summary: 'The requester withdraws a pending signature request',
          params: IdParams,
          response: { 200: RequestRef, ...problemResponses(401, 403, 404, 409) },
        },
      },
      async (request) =>
        service.withdrawRequest(deps, request.actor!, request.params.id, auditContextOf(request)),
    )
  }
