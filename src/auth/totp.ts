import { Secret, TOTP } from 'otpauth'

const ISSUER = 'vanthu'

/** RFC 6238 with the settings every authenticator app understands: SHA-1, 6 digits, 30 s. */
function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) })
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

export async function totpEnrolment(secretBase32: string, username: string) {
  const otpauthUrl = totpFor(secretBase32, username).toString()
  // Loaded on first enrolment: the QR encoder is ~60 modules that a start-up need not read.
  const { default: QRCode } = await import('qrcode')
  const qrDataUrl = await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 1, width: 220 })
  return { secret: secretBase32, otpauthUrl, qrDataUrl }
}

/**
 * Accepts the current code and its neighbours (±30 s of clock drift) and returns the time step it
 * belongs to, so the caller can refuse a code already used; undefined when wrong.
 */
export function verifyTotp(secretBase32: string, code: string, now = Date.now()): number | undefined {
  const digits = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(digits)) return undefined
  const delta = totpFor(secretBase32, 'check').validate({ token: digits, window: 1, timestamp: now })
  return delta === null ? undefined : Math.floor(now / 30_000) + delta
}

/** The current code: for tests and for the external signer's simulations. */
export function currentTotp(secretBase32: string, timestamp = Date.now()): string {
  return totpFor(secretBase32, 'now').generate({ timestamp })
}
