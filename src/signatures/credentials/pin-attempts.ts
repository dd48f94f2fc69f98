/**
 * Opening a sealed key with a PIN under the lockout rule: wrong PINs are counted and audited in a
 * transaction of their own, committed before the error is thrown, so a caller's rollback cannot undo them.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto'
import { type AuditContext, type AuditEventInput, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Tx } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import type { CredentialsDeps } from './credentials.service.ts'
import * as repository from './credentials.repository.ts'
import { openSealedKey, type PinKdf, WrongPinError } from './pin-seal.ts'
import { forgetUnlockedKey, rememberUnlockedKey, reuseUnlockedKey } from './unlocked-keys.ts'

export const TARGET = 'signing-credential'

/** Wrong PINs in a row that lock a credential, and for how long. */
export const MAX_PIN_ATTEMPTS = 5
export const PIN_LOCK_MS = 15 * 60_000

/** A change (or none) and its audit event, in one transaction of its own. */
export async function audited(
  deps: CredentialsDeps,
  context: AuditContext,
  event: AuditEventInput,
  change?: (tx: Tx) => Promise<void>,
) {
  await deps.database.db.transaction(async (tx) => {
    await change?.(tx)
    await appendAuditEvent(tx, context, event)
  })
}

/**
 * Opens the sealed key with the PIN, enforcing and recording the lock. The attempt is counted before the
 * PIN is tried (a committed reservation that a success gives back), so parallel guesses cannot outrun the
 * count: the MAX_PIN_ATTEMPTS-th pending attempt locks, and any later one is refused without a try.
 * The same PIN opening the same sealed key again within minutes reuses the key (unlocked-keys.ts).
 */
export async function openWithPin(
  deps: CredentialsDeps,
  row: repository.CredentialRow,
  pin: string,
  context: AuditContext,
): Promise<KeyObject> {
  const now = new Date()
  const lockUntil = new Date(now.getTime() + PIN_LOCK_MS)
  const state = await repository.reserveAttempt(deps.database.db, row.id, MAX_PIN_ATTEMPTS, now, lockUntil)
  if (!state) {
    const current = (await repository.findCredential(deps.database.db, row.id))?.lockedUntil ?? lockUntil
    await audited(deps, context, {
      action: 'signature.credential.unlock-refused',
      targetType: TARGET,
      targetId: row.id,
      details: { reason: 'locked', lockedUntil: current.toISOString() },
    })
    throw lockedError(current, now)
  }
  const reused = reuseUnlockedKey(row, pin)
  if (reused) return reused
  try {
    const pkcs8Der = await openSealedKey(deps.secretBox, {
      sealedKey: row.sealedKey,
      kdf: row.kdf as PinKdf,
      pin,
      fingerprintSha256: row.fingerprintSha256,
    })
    const privateKey = createPrivateKey({ key: pkcs8Der, format: 'der', type: 'pkcs8' })
    pkcs8Der.fill(0)
    rememberUnlockedKey(row, pin, privateKey)
    return privateKey
  } catch (error) {
    if (!(error instanceof WrongPinError)) throw error
  }
  forgetUnlockedKey(row.id)
  const locked = state.lockedUntil !== null && state.lockedUntil > now
  await deps.database.db.transaction(async (tx) => {
    await appendAuditEvent(tx, context, {
      action: 'signature.credential.wrong-pin',
      targetType: TARGET,
      targetId: row.id,
      details: { failedAttempts: locked ? MAX_PIN_ATTEMPTS : state.failedAttempts },
    })
    if (locked) {
      await appendAuditEvent(tx, context, {
        action: 'signature.credential.locked',
        targetType: TARGET,
        targetId: row.id,
        details: { lockedUntil: state.lockedUntil!.toISOString() },
      })
    }
  })
  if (locked) throw lockedError(state.lockedUntil!, now)
  const remaining = MAX_PIN_ATTEMPTS - state.failedAttempts
  throw new AppError('wrong-pin', {
    detail: `Còn ${remaining} lần thử. / ${remaining} attempt(s) left.`,
    extensions: { attemptsLeft: remaining },
  })
}

function lockedError(lockedUntil: Date, now: Date) {
  const seconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000))
  const minutes = Math.ceil(seconds / 60)
  return new AppError('credential-locked', {
    headers: { 'retry-after': String(seconds) },
    detail: `Thử lại sau ${minutes} phút. / Try again in ${minutes} minute(s).`,
    extensions: { lockedUntil: lockedUntil.toISOString() },
  })
}
