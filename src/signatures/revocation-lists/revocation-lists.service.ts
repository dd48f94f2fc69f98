/**
 * Offline revocation data: the CRLs (danh sách chứng thư bị thu hồi) of the agency's trusted CAs, loaded
 * by its admins — the only revocation data an air-gapped server has, and what verification uses before
 * asking the network. A CRL is kept only when one of the agency's trust anchors issued and signed it; a
 * newer CRL of the same CA (its refresh) replaces the one before, which stays for the record.
 */
import { createHash, verify, X509Certificate } from 'node:crypto'
import { type Actor, actorLabel } from '../../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import { certInfo } from '../../pades/cms/certs.ts'
import { encode } from '../../pades/cms/der.ts'
import { hashOfSignatureAlgorithm, type ParsedCrl, parseCrl } from '../../pades/revocation/crl-check.ts'
import type { Database, Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { certificateDetails } from '../credentials/pkcs12.ts'
import { listTrustAnchors } from '../trust/trust.service.ts'
import * as repository from './revocation-lists.repository.ts'

const TARGET = 'revocation-list'
const DAY_MS = 86_400_000
/** A CRL whose next update is this close is shown as due for a refresh. */
export const REFRESH_DUE_MS = 2 * DAY_MS

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** The SHA-256 of a DER Name: how a certificate's issuer is matched to the CRLs of that issuer. */
export const nameKey = (nameDer: Uint8Array) => sha256(nameDer)

/** A CRL from an upload: PEM ("X509 CRL") or DER; 422 bad-crl for anything else. */
export function readCrl(bytes: Buffer): { der: Buffer; crl: ParsedCrl & { thisUpdate: Date } } {
  const pem = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(bytes.toString('latin1'))
  const der = pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : bytes
  const crl = parseCrl(der)
  if (!crl?.thisUpdate) throw new AppError('bad-crl')
  return { der, crl: crl as ParsedCrl & { thisUpdate: Date } }
}

/** Whether `crl` was issued and signed by the CA of `cert`. */
function issuedBy(crl: ParsedCrl, cert: X509Certificate): boolean {
  if (!encode(certInfo(cert).subject).equals(crl.issuerDer)) return false
  const hash = crl.signatureAlgorithm ? hashOfSignatureAlgorithm(crl.signatureAlgorithm) : undefined
  try {
    return hash !== undefined && verify(hash, crl.tbs, cert.publicKey, crl.signature)
  } catch {
    return false
  }
}

/** The agency's trust anchor that issued and signed the CRL; 422 when none did. */
async function issuingAnchor(db: Executor, agencyId: string, crl: ParsedCrl) {
  for (const anchor of await listTrustAnchors(db, agencyId)) {
    const cert = new X509Certificate(anchor.certificatePem)
    if (issuedBy(crl, cert)) return { anchor, cert }
  }
  throw new AppError('crl-issuer-not-trusted')
}

/**
 * Keeps an uploaded CRL (or one downloaded for the admin: `source`) as the current one of its CA: 201 with
 * its view; 409 when it is not newer than the current one; the replaced one stays, marked replaced.
 */
export async function addRevocationList(
  deps: { database: Database },
  actor: Actor,
  bytes: Buffer,
  context: AuditContext,
  source: 'upload' | 'download' = 'upload',
) {
  const { der, crl } = readCrl(bytes)
  const { db } = deps.database
  const { anchor, cert } = await issuingAnchor(db, actor.agencyId, crl)
  const issuerNameSha256 = nameKey(crl.issuerDer)
  const digest = sha256(der)
  const notNewer = (detail: string) => new AppError('crl-not-newer', { detail })
  const add = db.transaction(async (tx) => {
    const current = await repository.currentForIssuerLocked(tx, actor.agencyId, issuerNameSha256)
    if (current?.sha256 === digest) throw notNewer('Đã có đúng danh sách này. / This very list is kept already.')
    if (current && current.thisUpdate >= crl.thisUpdate) {
      throw notNewer(
        `Danh sách đang dùng phát hành lúc ${current.thisUpdate.toISOString()}. / ` +
          `The current list was issued at ${current.thisUpdate.toISOString()}.`,
      )
    }
    const now = new Date()
    if (current) await repository.markReplaced(tx, current.id, now)
    const row = await repository.insertList(tx, {
      agencyId: actor.agencyId,
      trustAnchorId: anchor.id,
      issuerSubject: certificateDetails(cert).subject.slice(0, 500),
      issuerNameSha256,
      thisUpdate: crl.thisUpdate,
      nextUpdate: crl.nextUpdate ?? null,
      crlNumber: null,
      revokedCount: crl.revoked.size,
      sha256: digest,
      der,
      source,
      addedBy: actorLabel(actor),
    })
    await appendAuditEvent(tx, context, {
      action: 'signature.revocation-list.added',
      targetType: TARGET,
      targetId: row.id,
      details: {
        issuer: row.issuerSubject,
        thisUpdate: row.thisUpdate.toISOString(),
        nextUpdate: row.nextUpdate?.toISOString() ?? null,
        revokedCount: row.revokedCount,
        sha256: digest,
        source,
        replaced: current?.id ?? null,
      },
    })
    return row
  })
  // Two admins loading a list of one CA at once: the unique index decides, the loser hears 409.
  return add.catch((error: unknown) => {
    const code = (value: unknown) => (value as { code?: unknown } | undefined)?.code
    if (code(error) === '23505' || code((error as { cause?: unknown }).cause) === '23505')
      throw notNewer('Một danh sách khác của CA này vừa được nạp. / Another list of this CA was just loaded.')
    throw error
  })
}

export async function removeRevocationList(
  deps: { database: Database },
  actor: Actor,
  id: string,
  context: AuditContext,
) {
  if (!isUuid(id)) throw new AppError('not-found')
  await deps.database.db.transaction(async (tx) => {
    const row = await repository.markRemoved(tx, actor.agencyId, id, new Date())
    if (!row) throw new AppError('not-found')
    await appendAuditEvent(tx, context, {
      action: 'signature.revocation-list.removed',
      targetType: TARGET,
      targetId: row.id,
      details: { issuer: row.issuerSubject, sha256: row.sha256 },
    })
  })
}

export type RevocationListState = 'current' | 'refresh-due' | 'expired'

/** The current CRLs of the agency's trusted CAs, each with whether it needs a refresh. */
export async function listRevocationLists(db: Executor, agencyId: string, now = new Date()) {
  const anchors = new Set((await listTrustAnchors(db, agencyId)).map((anchor) => anchor.id))
  return (await repository.listCurrent(db, agencyId))
    .filter((row) => anchors.has(row.trustAnchorId))
    .map((row) => {
      const next = row.nextUpdate?.getTime()
      const state: RevocationListState =
        next === undefined ? 'current' : next <= now.getTime() ? 'expired' : next - now.getTime() <= REFRESH_DUE_MS ? 'refresh-due' : 'current'
      return {
        id: row.id,
        trustAnchorId: row.trustAnchorId,
        issuer: row.issuerSubject,
        thisUpdate: row.thisUpdate.toISOString(),
        nextUpdate: row.nextUpdate?.toISOString() ?? null,
        revokedCount: row.revokedCount,
        sha256: row.sha256,
        source: row.source as 'upload' | 'download',
        addedBy: row.addedBy,
        createdAt: row.createdAt.toISOString(),
        state,
      }
    })
}
