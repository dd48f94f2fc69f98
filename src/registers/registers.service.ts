import { sql } from 'drizzle-orm'
import type { Tx } from '../platform/db/database.ts'
import { AppError } from '../platform/errors.ts'
import * as repository from './registers.repository.ts'

const DEFAULT_NAMES = {
  incoming: { open: 'Sổ văn bản đến', secret: 'Sổ văn bản đến mật' },
  outgoing: { open: 'Sổ văn bản đi', secret: 'Sổ văn bản đi mật' },
} as const

/**
 * The register a document goes into: the one asked for (it must match the document's direction and
 * secrecy), or the agency's default register, created on first use.
 */
export async function registerFor(
  tx: Tx,
  agencyId: string,
  direction: 'incoming' | 'outgoing',
  secret: boolean,
  requestedId?: string,
): Promise<repository.RegisterRow> {
  if (requestedId) {
    const register = await repository.findRegister(tx, agencyId, requestedId)
    if (!register?.active || register.direction !== direction || register.secret !== secret) {
      throw new AppError('validation-failed', {
        errors: [{ field: 'registerId', message: 'Sổ văn bản không phù hợp.', messageEn: 'This register does not fit the document.' }],
      })
    }
    return register
  }
  // The lock below only keeps two first registrations from creating two defaults: once one exists it is
  // read without it, so registrations of the agency do not queue behind each other until they commit.
  const found = await repository.findDefaultRegister(tx, agencyId, direction, secret)
  if (found) return found
  // Two first registrations at once must not create two default registers.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`register-default:${agencyId}`}, 0))`)
  const existing = await repository.findDefaultRegister(tx, agencyId, direction, secret)
  if (existing) return existing
  const names = DEFAULT_NAMES[direction]
  return repository.insertRegister(tx, { agencyId, direction, secret, name: secret ? names.secret : names.open })
}

/** Số đến: consecutive from 1 each calendar year, per register, with no gaps and no duplicates. */
export function assignNumber(tx: Tx, register: repository.RegisterRow, year: number): Promise<number> {
  return repository.takeNextNumber(tx, register.id, year)
}
