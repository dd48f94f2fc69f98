/**
 * Signing keys opened with their PIN in the last few minutes, so that a clerk sealing one document after
 * another does not derive the PIN's key again each time (argon2id over 64 MiB: ~80 ms of CPU, several
 * hundred milliseconds on a busy machine — most of the time of a seal).
 *
 * - The PIN is still checked at every use: against a keyed hash of the PIN that opened the key
 *   (HMAC-SHA-256 under a random key made when the process starts and held only in its memory). Any
 *   other PIN goes the slow way, where a wrong one is counted and audited. The attempt is reserved before
 *   either check (pin-attempts.ts), so a locked credential stays locked.
 * - An entry holds only for the sealed key it was opened from: the row is read afresh at every unlock, so
 *   a PIN change, a new seal credential or a retired one never finds it, in this process or another.
 *   Those changes made here drop it at once too, as does a wrong PIN.
 * - It lives UNLOCKED_KEY_TTL_MS from the unlock that opened it (use does not extend it), and at most
 *   MAX_UNLOCKED_KEYS are kept (the oldest goes first).
 */
import { createHmac, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto'

export const UNLOCKED_KEY_TTL_MS = 5 * 60_000
const MAX_UNLOCKED_KEYS = 16

interface UnlockedKey {
  sealedKey: string
  pinTag: Buffer
  privateKey: KeyObject
  expiresAt: number
}

/** What identifies a credential's sealed key: its row and the sealed text it was opened from. */
interface SealedKeyRow {
  id: string
  sealedKey: string
}

const pinTagKey = randomBytes(32)
const unlocked = new Map<string, UnlockedKey>()

const pinTag = (credentialId: string, pin: string) =>
  createHmac('sha256', pinTagKey)
    .update(`${credentialId}\u0000${pin.normalize('NFC')}`)
    .digest()

/** The key opened earlier by this same PIN from this same sealed key, while it is fresh; else undefined. */
export function reuseUnlockedKey(row: SealedKeyRow, pin: string, now = Date.now()): KeyObject | undefined {
  const entry = unlocked.get(row.id)
  if (!entry) return undefined
  if (entry.expiresAt <= now || entry.sealedKey !== row.sealedKey) {
    unlocked.delete(row.id)
    return undefined
  }
  return timingSafeEqual(entry.pinTag, pinTag(row.id, pin)) ? entry.privateKey : undefined
}

/** Keeps a key the PIN has just opened (the slow way) for reuse. */
export function rememberUnlockedKey(row: SealedKeyRow, pin: string, privateKey: KeyObject, now = Date.now()) {
  unlocked.delete(row.id)
  unlocked.set(row.id, {
    sealedKey: row.sealedKey,
    pinTag: pinTag(row.id, pin),
    privateKey,
    expiresAt: now + UNLOCKED_KEY_TTL_MS,
  })
  // A Map iterates in insertion order: the first key is the oldest unlock.
  for (const id of unlocked.keys()) {
    if (unlocked.size <= MAX_UNLOCKED_KEYS) break
    unlocked.delete(id)
  }
}

/** Drops the credential's opened key (its PIN changed, it was retired or replaced, a wrong PIN was tried). */
export function forgetUnlockedKey(credentialId: string) {
  unlocked.delete(credentialId)
}
