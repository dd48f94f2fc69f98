/**
 * Signing credentials (chứng thư ký số): a leader's personal certificate and the agency's seal, imported
 * from PKCS#12, the key kept sealed under a PIN (pin-seal.ts). unlockCredential / unlockAgencySeal are what
 * the signing flow calls; the PIN and the PKCS#12 password are never stored or logged.
 */
import { type KeyObject, randomUUID } from 'node:crypto'
import { type Actor, actorLabel } from '../../access/actor.ts'
import { type AuditContext, type AuditEventInput, appendAuditEvent } from '../../audit/audit.service.ts'
import type { SecretBox } from '../../auth/secrets.ts'
import type { Database, Executor } from '../../platform/db/database.ts'
import { AppError, fieldError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { certificateNameWarning } from './certificate-name.ts'
import * as repository from './credentials.repository.ts'
import { splitPem } from './credentials.views.ts'
import { audited, openWithPin, TARGET } from './pin-attempts.ts'
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH, sealPrivateKey } from './pin-seal.ts'
import { certificateDetails, readPkcs12, validAt } from './pkcs12.ts'
import { forgetUnlockedKey } from './unlocked-keys.ts'

export interface CredentialsDeps {
  database: Database
  secretBox: SecretBox
}

export interface ImportInput {
  p12: Buffer
  password: string
  pin: string
  label?: string | undefined
}

export interface UnlockedCredential {
  credentialId: string
  privateKey: KeyObject
  /** The signer's certificate, PEM. */
  certificate: string
  /** Intermediate (and root) certificates, PEM, the signer's issuer first. */
  chain: string[]
}

function checkPin(pin: string, field = 'pin') {
  const length = [...pin.normalize('NFC')].length
  if (length < PIN_MIN_LENGTH)
    throw new AppError('validation-failed', { errors: [fieldError(field, 'field-pin-too-short')] })
  if (length > PIN_MAX_LENGTH)
    throw new AppError('validation-failed', { errors: [fieldError(field, 'field-too-long')] })
}

/** Reads, checks and seals a PKCS#12: the row values, before any database write. */
async function prepareCredential(deps: CredentialsDeps, input: ImportInput, now: Date) {
  checkPin(input.pin)
  const contents = readPkcs12(input.p12, input.password)
  const details = certificateDetails(contents.certificate)
  if (!validAt(contents.certificate, now)) {
    const when = `${details.notBefore.toISOString()} – ${details.notAfter.toISOString()}`
    throw new AppError('certificate-not-valid', { detail: `Hiệu lực / validity: ${when}` })
  }
  if (contents.certificate.ca)
    throw new AppError('bad-pkcs12', {
      detail: 'Chứng thư CA không dùng để ký văn bản. / A CA certificate does not sign documents.',
    })
  const sealed = await sealPrivateKey(deps.secretBox, {
    pkcs8Der: contents.pkcs8Der,
    pin: input.pin,
    fingerprintSha256: details.fingerprintSha256,
  })
  contents.pkcs8Der.fill(0)
  const commonName = /(?:^|\n)CN=([^\n]*)/.exec(contents.certificate.subject)?.[1]
  return {
    id: randomUUID(),
    label: (input.label?.trim() || commonName || details.subject).slice(0, 200),
    certificatePem: contents.certificate.toString(),
    chainPem: contents.chain.map((cert) => cert.toString()).join(''),
    ...details,
    subject: details.subject.slice(0, 500),
    issuer: details.issuer.slice(0, 500),
    sealedKey: sealed.sealedKey,
    kdf: sealed.kdf,
  }
}

/** Whom a credential of this kind should name: the actor's full name, or the agency's name for the seal. */
export async function expectedCertificateName(
  deps: CredentialsDeps,
  actor: Actor,
  kind: 'personal' | 'agency-seal',
): Promise<string | undefined> {
  return kind === 'personal'
    ? repository.fullNameOf(deps.database.db, actor.userId)
    : repository.agencyNameOf(deps.database.db, actor.agencyId)
}

/** The audit detail of a certificate that names someone else than its holder (see certificate-name.ts). */
async function nameMismatchDetail(tx: Executor, actor: Actor, row: repository.CredentialRow) {
  const kind = row.kind as 'personal' | 'agency-seal'
  const expected =
    kind === 'personal' ? await repository.fullNameOf(tx, actor.userId) : await repository.agencyNameOf(tx, actor.agencyId)
  const warning = certificateNameWarning(row.subject, expected, kind)
  return warning ? { nameMismatch: { certificateName: warning.certificateName, expectedName: warning.expectedName } } : {}
}

/** Imports the actor's personal signing credential. */
export async function importPersonalCredential(
  deps: CredentialsDeps,
  actor: Actor,
  input: ImportInput,
  context: AuditContext,
) {
  const values = await prepareCredential(deps, input, new Date())
  return deps.database.db.transaction(async (tx) => {
    const existing = await repository.listPersonal(tx, actor.agencyId, actor.userId)
    if (existing.some((row) => row.fingerprintSha256 === values.fingerprintSha256)) {
      throw new AppError('already-exists', {
        detail: 'Chứng thư này đã được nhập. / This certificate is already imported.',
      })
    }
    const row = await repository.insertCredential(tx, {
      ...values,
      agencyId: actor.agencyId,
      userId: actor.userId,
      kind: 'personal',
      createdBy: actorLabel(actor),
    })
    const event = importEvent(row)
    await appendAuditEvent(tx, context, { ...event, details: { ...event.details, ...(await nameMismatchDetail(tx, actor, row)) } })
    return row
  })
}

/** Imports the agency seal credential; the one before it is retired in the same transaction. */
export async function importAgencySeal(
  deps: CredentialsDeps,
  actor: Actor,
  input: ImportInput,
  context: AuditContext,
) {
  const values = await prepareCredential(deps, input, new Date())
  return deps.database.db.transaction(async (tx) => {
    await repository.lockAgency(tx, actor.agencyId)
    const now = new Date()
    for (const previous of await repository.listAgencySeals(tx, actor.agencyId)) {
      await repository.retire(tx, previous.id, now)
      forgetUnlockedKey(previous.id)
      await appendAuditEvent(tx, context, {
        action: 'signature.credential.retired',
        targetType: TARGET,
        targetId: previous.id,
        details: { kind: 'agency-seal', replacedBy: values.id },
      })
    }
    const row = await repository.insertCredential(tx, {
      ...values,
      agencyId: actor.agencyId,
      userId: null,
      kind: 'agency-seal',
      createdBy: actorLabel(actor),
    })
    const event = importEvent(row)
    await appendAuditEvent(tx, context, { ...event, details: { ...event.details, ...(await nameMismatchDetail(tx, actor, row)) } })
    return row
  })
}

function importEvent(row: repository.CredentialRow): AuditEventInput {
  return {
    action: 'signature.credential.imported',
    targetType: TARGET,
    targetId: row.id,
    details: {
      kind: row.kind,
      subject: row.subject,
      issuer: row.issuer,
      serialNumber: row.serialNumber,
      fingerprintSha256: row.fingerprintSha256,
    },
  }
}

export function listPersonalCredentials(deps: CredentialsDeps, actor: Actor) {
  return repository.listPersonal(deps.database.db, actor.agencyId, actor.userId)
}

export async function currentAgencySeal(deps: CredentialsDeps, actor: Actor) {
  const [row] = await repository.listAgencySeals(deps.database.db, actor.agencyId)
  return row
}

async function ownPersonal(deps: CredentialsDeps, actor: Actor, credentialId: string) {
  const row = isUuid(credentialId)
    ? await repository.findCredential(deps.database.db, credentialId)
    : undefined
  if (
    row?.kind !== 'personal' ||
    row.userId !== actor.userId ||
    row.agencyId !== actor.agencyId ||
    row.retiredAt
  ) {
    throw new AppError('not-found')
  }
  return row
}

export async function retirePersonalCredential(
  deps: CredentialsDeps,
  actor: Actor,
  credentialId: string,
  context: AuditContext,
) {
  const row = await ownPersonal(deps, actor, credentialId)
  await deps.database.db.transaction(async (tx) => {
    if (!(await repository.retire(tx, row.id, new Date()))) throw new AppError('not-found')
    forgetUnlockedKey(row.id)
    await appendAuditEvent(tx, context, {
      action: 'signature.credential.retired',
      targetType: TARGET,
      targetId: row.id,
      details: { kind: row.kind },
    })
  })
}

/** Changes the PIN: the old one must open the key (a wrong one counts towards the lock). */
export async function changePin(
  deps: CredentialsDeps,
  actor: Actor,
  input: { credentialId: string; oldPin: string; newPin: string },
  context: AuditContext,
) {
  checkPin(input.newPin, 'newPin')
  const row = await ownPersonal(deps, actor, input.credentialId)
  const pkcs8Der = (await openWithPin(deps, row, input.oldPin, context)).export({
    format: 'der',
    type: 'pkcs8',
  })
  const sealed = await sealPrivateKey(deps.secretBox, {
    pkcs8Der,
    pin: input.newPin,
    fingerprintSha256: row.fingerprintSha256,
  })
  pkcs8Der.fill(0)
  await audited(
    deps,
    context,
    { action: 'signature.credential.pin-changed', targetType: TARGET, targetId: row.id },
    (tx) => repository.updateSealedKey(tx, row.id, sealed),
  )
  forgetUnlockedKey(row.id)
}

/**
 * The private key of the actor's own personal credential, for signing. A wrong PIN is counted (and audited)
 * in a transaction of its own, committed before the error is thrown, so the caller's rollback cannot undo
 * it; the MAX_PIN_ATTEMPTS-th locks the credential for PIN_LOCK_MS ('credential-locked', 423).
 * Call it before opening the signing transaction, not inside it: it runs its own transactions on
 * `deps.database`, and embedded PGlite has a single connection, so a call from inside an open transaction
 * would wait on itself.
 */
export async function unlockCredential(
  deps: CredentialsDeps,
  input: { credentialId: string; actor: Actor; pin: string; context?: AuditContext },
): Promise<UnlockedCredential> {
  const row = await ownPersonal(deps, input.actor, input.credentialId)
  return unlock(deps, row, input.pin, input.context ?? { actor: actorLabel(input.actor) })
}

/** The agency seal's private key, for the agency's clerks only (403 for anyone else). */
export async function unlockAgencySeal(
  deps: CredentialsDeps,
  input: { actor: Actor; pin: string; context?: AuditContext },
): Promise<UnlockedCredential> {
  if (!input.actor.roles.has('clerk'))
    throw new AppError('forbidden', {
      detail: 'Chỉ văn thư được dùng con dấu số của cơ quan. / Only clerks may use the agency seal.',
    })
  const row = await currentAgencySeal(deps, input.actor)
  if (!row)
    throw new AppError('not-found', {
      detail: 'Cơ quan chưa có chứng thư con dấu. / The agency has no seal credential.',
    })
  return unlock(deps, row, input.pin, input.context ?? { actor: actorLabel(input.actor) })
}

async function unlock(
  deps: CredentialsDeps,
  row: repository.CredentialRow,
  pin: string,
  context: AuditContext,
): Promise<UnlockedCredential> {
  const privateKey = await openWithPin(deps, row, pin, context)
  await audited(
    deps,
    context,
    {
      action: 'signature.credential.unlocked',
      targetType: TARGET,
      targetId: row.id,
      details: { kind: row.kind },
    },
    async (tx) => {
      await repository.clearFailures(tx, row.id)
    },
  )
  return { credentialId: row.id, privateKey, certificate: row.certificatePem, chain: splitPem(row.chainPem) }
}

/** The agency's signing credentials, personal and agency seal, retired ones too (for its admins). */
export async function listAgencyCredentials(deps: CredentialsDeps, actor: Actor) {
  return repository.listForAgency(deps.database.db, actor.agencyId)
}

/**
 * An admin lifts a PIN lock (the holder called: it was them): the wrong-PIN count and the lock are reset,
 * audited 'signing-credential.unlocked'. A credential of another agency is not found.
 */
export async function adminUnlockCredential(
  deps: CredentialsDeps,
  actor: Actor,
  credentialId: string,
  context: AuditContext,
) {
  if (!isUuid(credentialId)) throw new AppError('not-found')
  return deps.database.db.transaction(async (tx) => {
    const row = await repository.lockForUpdate(tx, credentialId)
    if (!row || row.agencyId !== actor.agencyId) throw new AppError('not-found')
    await repository.clearFailures(tx, row.id)
    await appendAuditEvent(tx, context, {
      action: 'signing-credential.unlocked',
      targetType: TARGET,
      targetId: row.id,
      details: {
        kind: row.kind,
        holderId: row.userId,
        failedAttempts: row.failedAttempts,
        lockedUntil: row.lockedUntil?.toISOString() ?? null,
      },
    })
    const [updated] = await repository.listForAgency(tx, actor.agencyId, row.id)
    return updated!
  })
}
