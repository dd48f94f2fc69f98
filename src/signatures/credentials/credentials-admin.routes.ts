import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import * as service from './credentials.service.ts'
import { certificateNameWarning } from './certificate-name.ts'
import type { CredentialRow } from './credentials.repository.ts'

const AdminCredentialSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('personal'), Type.Literal('agency-seal')]),
    label: Type.String(),
    /** The leader holding a personal credential; null for the agency seal. */
    holder: Nullable(Type.Object({ id: Type.String(), username: Type.String(), fullName: Type.String() })),
    subject: Type.String(),
    issuer: Type.String(),
    serialNumber: Type.String({ description: 'hex' }),
    fingerprintSha256: Type.String({ description: 'hex' }),
    notBefore: Type.String(),
    notAfter: Type.String(),
    expired: Type.Boolean(),
    failedAttempts: Type.Integer({ description: 'Wrong PINs since the last right one (the lock resets it)' }),
    locked: Type.Boolean(),
    lockedUntil: Nullable(Type.String({ description: 'Set while locked' })),
    retiredAt: Nullable(Type.String()),
    createdAt: Type.String(),
    nameWarning: Nullable(
      Type.Object({
        certificateName: Type.String(),
        expectedName: Type.String(),
        message: Type.String(),
        messageEn: Type.String(),
      }),
    ),
  },
  {
    $id: 'AdminSigningCredential',
    description: "A signing credential of the admin's agency (never key material)",
  },
)

type Listed = { credential: CredentialRow; holder: { id: string; username: string; fullName: string } | null }

/** `agencyName`: whom the seal certificate should name (a personal one should name its holder). */
function adminView({ credential: row, holder }: Listed, agencyName: string | undefined, now = new Date()) {
  const locked = row.lockedUntil !== null && row.lockedUntil > now
  return {
    id: row.id,
    kind: row.kind as 'personal' | 'agency-seal',
    label: row.label,
    holder,
    subject: row.subject,
    issuer: row.issuer,
    serialNumber: row.serialNumber,
    fingerprintSha256: row.fingerprintSha256,
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
    expired: row.notAfter < now,
    failedAttempts: row.failedAttempts,
    locked,
    lockedUntil: locked ? row.lockedUntil!.toISOString() : null,
    retiredAt: row.retiredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    nameWarning:
      certificateNameWarning(
        row.subject,
        row.kind === 'personal' ? holder?.fullName : agencyName,
        row.kind as 'personal' | 'agency-seal',
      ) ?? null,
  }
}

/**
 * The agency's signing credentials for its admins: the list (leaders' and the seal, retired ones too) and
 * lifting a PIN lock. Registered under /api.
 */
export function credentialAdminRoutes(deps: service.CredentialsDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(AdminCredentialSchema)
    const config = { access: 'signature.credential.unlock' as const }

    app.get(
      '/admin/signing-credentials',
      {
        config,
        schema: {
          summary:
            "The agency's signing credentials (personal and agency seal, retired ones too), newest first",
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref('AdminSigningCredential')) }),
            ...problemResponses(401, 403),
          },
        },
      },
      async (request) => {
        const agencyName = await service.expectedCertificateName(deps, request.actor!, 'agency-seal')
        const items = await service.listAgencyCredentials(deps, request.actor!)
        return { items: items.map((item) => adminView(item, agencyName)) }
      },
    )

    app.post(
      '/admin/signing-credentials/:id/unlock',
      {
        config,
        schema: {
          summary:
            'Lift the lock left by wrong PINs and reset their count (audited signing-credential.unlocked)',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 200: Type.Ref('AdminSigningCredential'), ...problemResponses(401, 403, 404) },
        },
      },
      async (request) =>
        adminView(
          await service.adminUnlockCredential(deps, request.actor!, request.params.id, auditContextOf(request)),
          await service.expectedCertificateName(deps, request.actor!, 'agency-seal'),
        ),
    )
  }
}
