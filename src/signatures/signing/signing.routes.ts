import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { problemResponses } from '../../platform/http/common.schemas.ts'
import type { Platform } from '../../platform/platform.ts'
import { renewDocumentSignatures } from '../archive/renew.service.ts'
import { signingPolicy } from './pades-level.ts'
import { signingPreviewRoutes } from './signing-preview.routes.ts'
import {
  AppearanceSourceSchema,
  CopyFormSchema,
  DocumentParams,
  PadesLevelSchema,
  Pin,
  PlacementSchema,
  SealAppearanceSchema,
  SignedFileSchema,
  signedView,
  Text,
} from './signing.schemas.ts'
import { completeTwoStep, prepareTwoStep } from './signing-sessions.service.ts'
import { signBatch, sealDocument, signDocument, type SigningDeps } from './signing.service.ts'

const levels = 'PAdES B-B; B-T with SIGNING_TSA_URL; B-LTA when SIGNING_LTV and revocation data allow'

/** Ký số và đóng dấu số: signing a document's latest PDF with a leader's key or the agency seal. */
export const signingRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const deps: SigningDeps = {
      database: platform.database,
      blobStore: platform.blobStore,
      secretBox: platform.secretBox,
      policy: signingPolicy(platform.config.signing),
      jobs: platform.jobs,
      notificationChannels: platform.notificationChannels,
    }
    await app.register(signingPreviewRoutes(deps))

    app.post(
      '/documents/:id/sign',
      {
        config: { access: 'signature.sign' },
        schema: {
          summary: "The leader signs the document's latest PDF; a new 'signed' file",
          description:
            `${levels}. Visible when the leader has a signature image: in the signer block found on the last ` +
            'page, or at `placement`; 422 signature-placement-needed when neither; invisible without an image. ' +
            '503 tsa-unavailable when the TSA fails (nothing stored).',
          params: DocumentParams,
          body: Type.Object({
            pin: Pin,
            credentialId: Type.Optional(Type.String({ maxLength: 64 })),
            reason: Type.Optional(Text),
            location: Type.Optional(Text),
            placement: Type.Optional(PlacementSchema),
          }),
          response: { 201: SignedFileSchema, ...problemResponses(400, 403, 404, 409, 422, 423, 503) },
        },
      },
      async (request, reply) => {
        const result = await signDocument(
          deps,
          request.actor!,
          request.params.id,
          request.body,
          auditContextOf(request),
        )
        return reply.code(201).send(signedView(result))
      },
    )

    app.post(
      '/documents/:id/seal',
      {
        config: { access: 'signature.seal' },
        schema: {
          summary: "A clerk adds the agency seal over the leader's signature; 409 before the leader signed",
          description:
            `${levels}. The seal image at actual size over the left third of the leader's visible signature; ` +
            'the text stamp (number and notation and time, or copy form, agency and time; ISO 8601) at the top right of page ' +
            "1 with `appearance: 'stamp'`, without a seal image or without a visible leader signature.",
          params: DocumentParams,
          body: Type.Object({
            pin: Pin,
            reason: Type.Optional(Text),
            location: Type.Optional(Text),
            appearance: Type.Optional(SealAppearanceSchema),
            copyForm: Type.Optional(CopyFormSchema),
          }),
          response: { 201: SignedFileSchema, ...problemResponses(400, 403, 404, 409, 422, 423, 503) },
        },
      },
      async (request, reply) => {
        const result = await sealDocument(
          deps,
          request.actor!,
          request.params.id,
          request.body,
          auditContextOf(request),
        )
        return reply.code(201).send(signedView(result))
      },
    )

    app.post(
      '/documents/:id/sign/prepare',
      {
        config: { access: 'signature.sign' },
        schema: {
          summary:
            'Two-step signing (USB token): the signed attributes to sign; the session lasts 10 minutes',
          description:
            'The appearance is placed as for /sign (signature image in the signer block or at `placement`).',
          params: DocumentParams,
          body: Type.Object({
            certificate: Type.String({
              maxLength: 20000,
              description: "The token's signing certificate, PEM",
            }),
            reason: Type.Optional(Text),
            location: Type.Optional(Text),
            placement: Type.Optional(PlacementSchema),
          }),
          response: {
            201: Type.Object({
              sessionId: Type.String(),
              digest: Type.String({ description: 'Base64 SHA-256 of the byte ranges' }),
              signedAttributes: Type.String({ description: 'Base64 DER to sign with SHA-256' }),
              expiresAt: Type.String(),
              visible: Type.Boolean(),
              appearance: AppearanceSourceSchema,
            }),
            ...problemResponses(400, 403, 404, 409, 422),
          },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await prepareTwoStep(
              deps,
              request.actor!,
              request.params.id,
              request.body,
              auditContextOf(request),
            ),
          ),
    )

    app.post(
      '/documents/:id/sign/complete',
      {
        config: { access: 'signature.sign' },
        schema: {
          summary: 'Two-step signing: the signature value (or CMS) is checked, embedded and stored, once',
          description: `${levels} (the timestamp is added to the external CMS as an unsigned attribute).`,
          params: DocumentParams,
          body: Type.Object({
            sessionId: Type.String({ maxLength: 64 }),
            certificate: Type.String({ maxLength: 20000 }),
            signatureValue: Type.Optional(Type.String({ maxLength: 4000 })),
            cms: Type.Optional(Type.String({ maxLength: 40000 })),
            chain: Type.Optional(Type.Array(Type.String({ maxLength: 20000 }), { maxItems: 5 })),
          }),
          response: { 201: SignedFileSchema, ...problemResponses(400, 403, 404, 409, 410, 422, 503) },
        },
      },
      async (request, reply) => {
        const result = await completeTwoStep(
          deps,
          request.actor!,
          request.params.id,
          request.body,
          auditContextOf(request),
        )
        return reply.code(201).send(signedView(result))
      },
    )

    app.post(
      '/documents/:id/signatures/renew',
      {
        config: { access: 'signature.renew' },
        schema: {
          summary:
            'Gia hạn: current revocation data for every certificate of the newest signed PDF, then a new document timestamp',
          description:
            'For records kept longer than the last timestamp authority certificate lives (PAdES B-LTA renewal). ' +
            'Stored as a new signed file; earlier bytes stay. Needs SIGNING_TSA_URL (409 without); a failing TSA ' +
            'answers 503 tsa-unavailable and stores nothing. `renewBy`: when the new timestamp certificate expires.',
          params: DocumentParams,
          response: {
            201: Type.Object({
              fileId: Type.String(),
              fileName: Type.String(),
              renewBy: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
              certificatesChecked: Type.Integer(),
              crls: Type.Integer(),
              ocsps: Type.Integer(),
            }),
            ...problemResponses(403, 404, 409, 503),
          },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await renewDocumentSignatures(deps, request.actor!, request.params.id, auditContextOf(request)),
          ),
    )

    app.post(
      '/documents/sign-batch',
      {
        config: { access: 'signature.sign' },
        schema: {
          summary: 'The leader signs several documents with one PIN entry; one result per document',
          description:
            'Each document as /sign without placement: a document whose signer block is not found (while the ' +
            'leader has a signature image) fails alone with code signature-placement-needed (422).',
          body: Type.Object({
            documentIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 50 }),
            pin: Pin,
            credentialId: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: {
            200: Type.Object({
              results: Type.Array(
                Type.Object({
                  documentId: Type.String(),
                  ok: Type.Boolean(),
                  fileId: Type.Optional(Type.String()),
                  level: Type.Optional(PadesLevelSchema),
                  visible: Type.Optional(Type.Boolean()),
                  code: Type.Optional(Type.String()),
                  status: Type.Optional(Type.Integer()),
                }),
              ),
            }),
            ...problemResponses(400, 403, 404, 422, 423),
          },
        },
      },
      async (request) => ({
        results: await signBatch(deps, request.actor!, request.body, auditContextOf(request)),
      }),
    )
  }
