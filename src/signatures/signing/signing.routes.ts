import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import type { Platform } from '../../platform/platform.ts'
import { completeTwoStep, prepareTwoStep } from './signing-sessions.service.ts'
import { signBatch, sealDocument, signDocument, type SigningDeps } from './signing.service.ts'

const DocumentParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const Pin = Type.String({ minLength: 1, maxLength: 64 })
const Text = Type.String({ maxLength: 200 })

const SignedFileSchema = Type.Object({
  id: Type.String(),
  documentId: Type.String(),
  role: Type.String(),
  derivedFromId: Nullable(Type.String()),
  fileName: Type.String(),
  sha256: Type.String(),
  size: Type.Integer(),
  signatureCount: Type.Integer(),
})

function fileView(
  row: { id: string; documentId: string; role: string; derivedFromId: string | null } & {
    fileName: string
    sha256: string
    size: number
    signatureCount: number
  },
) {
  const { id, documentId, role, derivedFromId, fileName, sha256, size, signatureCount } = row
  return { id, documentId, role, derivedFromId, fileName, sha256, size, signatureCount }
}

/** Ký số và đóng dấu số: signing a document's latest PDF with a leader's key or the agency seal. */
export const signingRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const deps: SigningDeps = {
      database: platform.database,
      blobStore: platform.blobStore,
      secretBox: platform.secretBox,
    }

    app.post(
      '/documents/:id/sign',
      {
        config: { access: 'signature.sign' },
        schema: {
          summary: "The leader signs the document's latest PDF (PAdES B-B, invisible); a new 'signed' file",
          params: DocumentParams,
          body: Type.Object({
            pin: Pin,
            credentialId: Type.Optional(Type.String({ maxLength: 64 })),
            reason: Type.Optional(Text),
            location: Type.Optional(Text),
          }),
          response: { 201: SignedFileSchema, ...problemResponses(400, 403, 404, 409, 422, 423) },
        },
      },
      async (request, reply) => {
        const row = await signDocument(
          deps,
          request.actor!,
          request.params.id,
          request.body,
          auditContextOf(request),
        )
        return reply.code(201).send(fileView(row))
      },
    )

    app.post(
      '/documents/:id/seal',
      {
        config: { access: 'signature.seal' },
        schema: {
          summary: "A clerk adds the agency seal over the leader's signature; 409 before the leader signed",
          params: DocumentParams,
          body: Type.Object({ pin: Pin, reason: Type.Optional(Text), location: Type.Optional(Text) }),
          response: { 201: SignedFileSchema, ...problemResponses(400, 403, 404, 409, 422, 423) },
        },
      },
      async (request, reply) => {
        const row = await sealDocument(
          deps,
          request.actor!,
          request.params.id,
          request.body,
          auditContextOf(request),
        )
        return reply.code(201).send(fileView(row))
      },
    )

    app.post(
      '/documents/:id/sign/prepare',
      {
        config: { access: 'signature.sign' },
        schema: {
          summary:
            'Two-step signing (USB token): the signed attributes to sign; the session lasts 10 minutes',
          params: DocumentParams,
          body: Type.Object({
            certificate: Type.String({
              maxLength: 20000,
              description: "The token's signing certificate, PEM",
            }),
            reason: Type.Optional(Text),
            location: Type.Optional(Text),
          }),
          response: {
            201: Type.Object({
              sessionId: Type.String(),
              digest: Type.String({ description: 'Base64 SHA-256 of the byte ranges' }),
              signedAttributes: Type.String({ description: 'Base64 DER to sign with SHA-256' }),
              expiresAt: Type.String(),
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
          params: DocumentParams,
          body: Type.Object({
            sessionId: Type.String({ maxLength: 64 }),
            certificate: Type.String({ maxLength: 20000 }),
            signatureValue: Type.Optional(Type.String({ maxLength: 4000 })),
            cms: Type.Optional(Type.String({ maxLength: 40000 })),
            chain: Type.Optional(Type.Array(Type.String({ maxLength: 20000 }), { maxItems: 5 })),
          }),
          response: { 201: SignedFileSchema, ...problemResponses(400, 403, 404, 409, 410, 422) },
        },
      },
      async (request, reply) => {
        const row = await completeTwoStep(
          deps,
          request.actor!,
          request.params.id,
          request.body,
          auditContextOf(request),
        )
        return reply.code(201).send(fileView(row))
      },
    )

    app.post(
      '/documents/sign-batch',
      {
        config: { access: 'signature.sign' },
        schema: {
          summary: 'The leader signs several documents with one PIN entry; one result per document',
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
