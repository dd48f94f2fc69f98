/**
 * Sealing a signing key under its PIN. Two layers:
 * - inner: AES-256-GCM with a key derived from the PIN by argon2id (per-credential random salt), the
 *   certificate's fingerprint as associated data (a sealed key cannot be moved to another row);
 * - outer: the platform SecretBox (the server's secret key), so a database dump alone does not allow an
 *   offline search of the short PIN space — guessing needs the server, which counts and locks.
 * A wrong PIN shows as a failed inner authentication tag; a failed outer layer is a server fault.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { hashRaw } from '@node-rs/argon2'
import type { SecretBox } from '../../auth/secrets.ts'

/** The KDF record kept in signing_credentials.kdf: enough to derive the same key again. */
export interface PinKdf {
  name: 'argon2id'
  version: 19
  memoryCost: number
  timeCost: number
  parallelism: number
  /** base64 */
  salt: string
  cipher: 'aes-256-gcm'
  /** The outer layer: 'secret-box-v1' = the platform SecretBox. */
  wrap: 'secret-box-v1'
}

/**
 * The cost of a PIN derivation: argon2id, 64 MiB, 3 passes, 1 lane (as passwords.ts; ~45 ms here). Tests run
 * with it too: an unlock is one derivation.
 */
export const PIN_KDF_COST = { memoryCost: 65_536, timeCost: 3, parallelism: 1 } as const

export const PIN_MIN_LENGTH = 6
export const PIN_MAX_LENGTH = 128

const ARGON2ID = 2

export class WrongPinError extends Error {
  constructor() {
    super('wrong PIN')
    this.name = 'WrongPinError'
  }
}

function derivePinKey(pin: string, kdf: PinKdf): Promise<Buffer> {
  return hashRaw(pin.normalize('NFC'), {
    algorithm: ARGON2ID,
    memoryCost: kdf.memoryCost,
    timeCost: kdf.timeCost,
    parallelism: kdf.parallelism,
    outputLen: 32,
    salt: Buffer.from(kdf.salt, 'base64'),
  })
}

const aad = (fingerprintSha256: string) => Buffer.from(`vanthu-signing-key:v1:${fingerprintSha256}`)

/** Seals PKCS#8 DER bytes under a new salt: answers the text for sealedKey and the kdf record. */
export async function sealPrivateKey(
  secretBox: SecretBox,
  input: { pkcs8Der: Buffer; pin: string; fingerprintSha256: string },
): Promise<{ sealedKey: string; kdf: PinKdf }> {
  const kdf: PinKdf = {
    name: 'argon2id',
    version: 19,
    ...PIN_KDF_COST,
    salt: randomBytes(16).toString('base64'),
    cipher: 'aes-256-gcm',
    wrap: 'secret-box-v1',
  }
  const key = await derivePinKey(input.pin, kdf)
  const nonce = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(aad(input.fingerprintSha256))
  const body = Buffer.concat([cipher.update(input.pkcs8Der), cipher.final()])
  const inner = ['v1', nonce, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.')
  key.fill(0)
  return { sealedKey: secretBox.seal(inner), kdf }
}

/** The PKCS#8 DER bytes, or WrongPinError. */
export async function openSealedKey(
  secretBox: SecretBox,
  input: { sealedKey: string; kdf: PinKdf; pin: string; fingerprintSha256: string },
): Promise<Buffer> {
  if (input.kdf.name !== 'argon2id' || input.kdf.wrap !== 'secret-box-v1') {
    throw new Error(`Unknown PIN sealing ${input.kdf.name}/${input.kdf.wrap}`)
  }
  const [version, nonce, tag, body] = secretBox.open(input.sealedKey).split('.')
  if (version !== 'v1' || !nonce || !tag || body === undefined) throw new Error('Not a sealed signing key')
  const key = await derivePinKey(input.pin, input.kdf)
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'))
  decipher.setAAD(aad(input.fingerprintSha256))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()])
  } catch {
    throw new WrongPinError()
  } finally {
    key.fill(0)
  }
}
