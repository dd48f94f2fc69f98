import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import { AppError } from '../../platform/errors.ts'
import * as service from './credentials.service.ts'
import { credentialView } from './credentials.views.ts'
import { PIN_MAX_LENGTH } from './pin-seal.ts'
import { readPkcs12Form } from './pkcs12-form.ts'

export const CredentialSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('personal'), Type.Literal('agency-seal')]),
    label: Type.String(),
    subject: Type.String(),
    issuer: Type.String(),
    serialNumber: Type.String({ description: 'hex' }),
    fingerprintSha256: Type.String({ description: 'hex' }),
    notBefore: Type.String(),
    notAfter: Type.String(),
    expired: Type.Boolean(),
    certificatePem: Type.String(),
    chainLength: Type.Integer(),
    locked: Type.Boolean(),
    lockedUntil: Nullable(Type.String()),
    failedAttempts: Type.Integer(),
    createdAt: Type.String(),
    nameWarning: Nullable(
      Type.Object(
        {
          certificateName: Type.String(),
          expectedName: Type.String(),
          message: Type.String(),
          messageEn: Type.String(),
        },
        { description: "Set when the certificate does not name the holder (the agency, for the seal)" },
      ),
    ),
  },
  {
    $id: 'SigningCredential',
    description: 'A signing certificate and the state of its PIN lock (never key material)',
  },
)

const importDescription =
  'multipart/form-data: `file` (.p12/.pfx, 3DES or AES), `password` (of the PKCS#12; not stored), ' +
  '`pin` (the new signing PIN, at least 6 characters; not stored), optional `label`.'
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

/**
 * Signing credentials: one's own (/me/signing-credentials, leaders) and the agency seal
 * (/admin/signing/agency-seal, admins). Registered under /api.
 */
export function credentialRoutes(deps: service.CredentialsDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(CredentialSchema)
    const self = { access: 'signature.credential.self' as const }
    // Routes that check a PIN or a PKCS#12 password: slow down guessing with a stolen session.
    const guessing = { rateLimit: { max: 10, timeWindow: '1 minute' } }
    const view = (row: Parameters<typeof credentialView>[0], expectedName: string | undefined) =>
      credentialView(row, expectedName)

    app.get(
      '/me/signing-credentials',
      {
        config: self,
        schema: {
          summary: 'My signing certificates',
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref('SigningCredential')) }),
            ...problemResponses(401, 403),
          },
        },
      },
      async (request) => {
        const name = await service.expectedCertificateName(deps, request.actor!, 'personal')
        return { items: (await service.listPersonalCredentials(deps, request.actor!)).map((row) => view(row, name)) }
      },
    )
    app.post(
      '/me/signing-credentials',
      {
        config: { ...self, ...guessing },
        schema: {
          summary: 'Import my signing certificate (PKCS#12) under a new signing PIN',
          description: importDescription,
          consumes: ['multipart/form-data'],
          response: {
            201: Type.Ref('SigningCredential'),
            ...problemResponses(400, 401, 403, 409, 413, 415, 422),
          },
        },
      },
      async (request, reply) => {
        const input = await readPkcs12Form(request)
        const row = await service.importPersonalCredential(
          deps,
          request.actor!,
          input,
          auditContextOf(request),
        )
        return reply.code(201).send(view(row, await service.expectedCertificateName(deps, request.actor!, 'personal')))
      },
    )
    app.delete(
      '/me/signing-credentials/:id',
      {
        config: self,
        schema: {
          summary: 'Retire my signing certificate',
          params: IdParams,
          response: problemResponses(401, 403, 404),
        },
      },
      async (request, reply) => {
        await service.retirePersonalCredential(
          deps,
          request.actor!,
          request.params.id,
          auditContextOf(request),
        )
        return reply.code(204).send()
      },
    )
    app.post(
      '/me/signing-credentials/:id/pin',
      {
        config: { ...self, ...guessing },
        schema: {
          summary: 'Change the signing PIN (needs the current one; wrong ones count towards the lock)',
          params: IdParams,
          body: Type.Object({
            oldPin: Type.String({ maxLength: PIN_MAX_LENGTH }),
            newPin: Type.String({ maxLength: PIN_MAX_LENGTH }),
          }),
          response: problemResponses(400, 401, 403, 404, 422, 423),
        },
      },
      async (request, reply) => {
        await service.changePin(
          deps,
          request.actor!,
          { credentialId: request.params.id, ...request.body },
          auditContextOf(request),
        )
        return reply.code(204).send()
      },
    )

    const seal = { access: 'signature.seal.manage' as const }
    app.get(
      '/admin/signing/agency-seal',
      {
        config: seal,
        schema: {
          summary: 'The agency seal credential',
          response: { 200: Type.Ref('SigningCredential'), ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const row = await service.currentAgencySeal(deps, request.actor!)
        if (!row) throw new AppError('not-found')
        return view(row, await service.expectedCertificateName(deps, request.actor!, 'agency-seal'))
      },
    )
    // The admin page asks this on every load: null when there is no seal yet, not a 404 in the console.
    app.get(
      '/admin/signing/agency-seal/info',
      {
        config: seal,
        schema: {
          summary: 'The agency seal credential, or null when none is imported',
          response: {
            200: Type.Object({ credential: Type.Union([Type.Ref('SigningCredential'), Type.Null()]) }),
            ...problemResponses(401, 403),
          },
        },
      },
      async (request) => {
        const row = await service.currentAgencySeal(deps, request.actor!)
        const name = await service.expectedCertificateName(deps, request.actor!, 'agency-seal')
        return { credential: row ? view(row, name) : null }
      },
    )
    app.post(
      '/admin/signing/agency-seal',
      {
        config: { ...seal, ...guessing },
        schema: {
          summary:
            'Import the agency seal credential (replaces the current one); its PIN goes to the clerks out of band',
          description: importDescription,
          consumes: ['multipart/form-data'],
          response: { 201: Type.Ref('SigningCredential'), ...problemResponses(400, 401, 403, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const input = await readPkcs12Form(request)
        const row = await service.importAgencySeal(deps, request.actor!, input, auditContextOf(request))
        return reply.code(201).send(view(row, await service.expectedCertificateName(deps, request.actor!, 'agency-seal')))
      },
    )
  }
}
