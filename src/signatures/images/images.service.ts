/**
 * The images visible signatures show (ND30 Phụ lục I): a leader's own signature image (blue, transparent
 * PNG) and the agency's seal image (red, transparent PNG, actual size). Setting one retires the current one
 * in the same transaction as the new row and its audit event; a retired image is kept, never rewritten.
 */
import { createHash } from 'node:crypto'
import type { Actor } from '../../access/actor.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database, Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import * as repository from './images.repository.ts'
import { checkSignaturePng } from './png-check.ts'

export type { SignatureImageRow } from './images.repository.ts'
export type ImageScope = 'own-signature' | 'agency-seal'

export interface SignatureImageView {
  id: string
  kind: repository.ImageKind
  width: number
  height: number
  sha256: string
  createdAt: string
}

export function ownerOf(actor: Actor, scope: ImageScope): repository.ImageOwner {
  return scope === 'own-signature'
    ? { kind: 'signature', agencyId: actor.agencyId, userId: actor.userId }
    : { kind: 'seal', agencyId: actor.agencyId, userId: null }
}

export function imageView(row: repository.SignatureImageRow): SignatureImageView {
  const { id, width, height, sha256, createdAt } = row
  return {
    id,
    kind: row.kind as repository.ImageKind,
    width,
    height,
    sha256,
    createdAt: createdAt.toISOString(),
  }
}

/** The current image of a leader (their signature) or of the agency (its seal), if any. */
export function currentImage(db: Executor, owner: repository.ImageOwner) {
  return repository.currentImage(db, owner)
}

export async function setImage(
  database: Database,
  actor: Actor,
  scope: ImageScope,
  png: Buffer,
  context: AuditContext,
): Promise<SignatureImageView> {
  const { width, height } = checkSignaturePng(png)
  const owner = ownerOf(actor, scope)
  const sha256 = createHash('sha256').update(png).digest('hex')
  const set = database.db.transaction(async (tx) => {
    const retired = await repository.retireCurrent(tx, owner, new Date())
    const inserted = await repository.insertImage(tx, {
      ...owner,
      png: new Uint8Array(png),
      width,
      height,
      sha256,
      createdBy: context.actor,
    })
    await appendAuditEvent(tx, context, {
      action: 'signature-image.set',
      targetType: 'signature-image',
      targetId: inserted.id,
      details: { kind: owner.kind, sha256, width, height, replaced: retired[0]?.id ?? null },
    })
    return inserted
  })
  // Two uploads at once: the partial unique index keeps one current image; the loser is told to retry.
  const row = await set.catch((error: unknown) => {
    throw isUniqueViolation(error) ? new AppError('conflict') : error
  })
  return imageView(row)
}

function isUniqueViolation(error: unknown): boolean {
  const code = (value: unknown) => (value as { code?: unknown } | undefined)?.code
  return code(error) === '23505' || code((error as { cause?: unknown }).cause) === '23505'
}

export async function readImage(database: Database, actor: Actor, scope: ImageScope) {
  const row = await repository.currentImage(database.db, ownerOf(actor, scope))
  if (!row)
    throw new AppError('not-found', {
      detail:
        scope === 'own-signature'
          ? 'Bạn chưa có ảnh chữ ký. / You have no signature image.'
          : 'Cơ quan chưa có ảnh con dấu. / The agency has no seal image.',
    })
  return row
}

export async function retireImage(
  database: Database,
  actor: Actor,
  scope: ImageScope,
  context: AuditContext,
) {
  const owner = ownerOf(actor, scope)
  await database.db.transaction(async (tx) => {
    const [retired] = await repository.retireCurrent(tx, owner, new Date())
    if (!retired) throw new AppError('not-found')
    await appendAuditEvent(tx, context, {
      action: 'signature-image.retired',
      targetType: 'signature-image',
      targetId: retired.id,
      details: { kind: owner.kind, sha256: retired.sha256 },
    })
  })
}
