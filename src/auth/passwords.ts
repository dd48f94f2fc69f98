import { hash, verify } from '@node-rs/argon2'
import type { FieldError } from '../platform/errors.ts'

/**
 * argon2id with 64 MiB, 3 passes, 1 lane (RFC 9106's memory-constrained option, one lane): about 43 ms
 * per hash on the 2-core machines here (OWASP's minimum, 19 MiB × 2, took under 6 ms, so we can afford
 * more). libuv's 4 threads bound concurrent hashes, and so memory, to 256 MiB.
 */
const ARGON2 = { algorithm: 2, memoryCost: 65_536, timeCost: 3, parallelism: 1 } as const

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), ARGON2)
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password.normalize('NFC'))
  } catch {
    return false
  }
}

/** A hash of a random password: verifying against it costs the same as for a real account. */
let decoyHash: Promise<string> | undefined
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}`)
  return decoyHash
}

export const PASSWORD_MIN_LENGTH = 12

/**
 * Password policy (NIST 800-63B style): long rather than complex; not the username or name; not one of
 * the passwords everybody tries first.
 */
export function checkPasswordPolicy(password: string, user: { username: string; fullName?: string }): FieldError[] {
  const errors: FieldError[] = []
  const fail = (vi: string, en: string) => errors.push({ field: 'password', message: vi, messageEn: en })
  const text = password.normalize('NFC')
  if ([...text].length < PASSWORD_MIN_LENGTH) {
    fail(`Mật khẩu cần ít nhất ${PASSWORD_MIN_LENGTH} ký tự.`, `The password needs at least ${PASSWORD_MIN_LENGTH} characters.`)
  }
  if ([...text].length > 256) fail('Mật khẩu quá dài (tối đa 256 ký tự).', 'The password is too long (256 characters at most).')
  const lower = text.toLocaleLowerCase('vi')
  if (user.username.length >= 3 && lower.includes(user.username.toLocaleLowerCase('vi'))) {
    fail('Mật khẩu không được chứa tên đăng nhập.', 'The password must not contain the username.')
  }
  if (COMMON_PASSWORDS.some((common) => lower.includes(common))) {
    fail('Mật khẩu quá dễ đoán.', 'The password is too easy to guess.')
  }
  if (/^(.)\1+$/.test(text)) fail('Mật khẩu quá dễ đoán.', 'The password is too easy to guess.')
  return errors
}

const COMMON_PASSWORDS = ['123456789', 'password', 'matkhau', 'qwertyuiop', 'abc123456', '111111111', 'admin123', 'vanthu123']
