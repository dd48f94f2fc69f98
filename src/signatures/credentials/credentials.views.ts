import { certificateNameWarning } from './certificate-name.ts'
import type { CredentialRow } from './credentials.repository.ts'

export function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? []
}

/**
 * What clients see of a credential: never key material. `expectedName` is whom it should name (the
 * holder's full name, the agency's name for the seal): a certificate naming someone else gets a warning.
 */
export function credentialView(row: CredentialRow, expectedName?: string, now = new Date()) {
  const locked = row.lockedUntil !== null && row.lockedUntil > now
  return {
    id: row.id,
    kind: row.kind as 'personal' | 'agency-seal',
    label: row.label,
    subject: row.subject,
    issuer: row.issuer,
    serialNumber: row.serialNumber,
    fingerprintSha256: row.fingerprintSha256,
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
    expired: row.notAfter < now,
    certificatePem: row.certificatePem,
    chainLength: splitPem(row.chainPem).length,
    locked,
    lockedUntil: locked ? row.lockedUntil!.toISOString() : null,
    failedAttempts: row.failedAttempts,
    createdAt: row.createdAt.toISOString(),
    nameWarning: certificateNameWarning(row.subject, expectedName, row.kind as 'personal' | 'agency-seal') ?? null,
  }
}
