import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { eq } from 'drizzle-orm'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import { hashPassword } from '../../src/auth/passwords.ts'
import { currentTotp } from '../../src/auth/totp.ts'
import type { Database } from '../../src/platform/db/database.ts'
import { agencies, documentGrants, documentParticipants, documents, users } from '../../src/platform/db/schema/index.ts'
import { type Headers, tokenFor, USER_PASSWORD } from './accounts.ts'
import { corpusFile } from './corpus.ts'
import { multipartBody } from './multipart.ts'

/** A uuid that names nothing: what an id-guesser would send. */
export const unknownId = () => randomUUID()

/** A problem document without `instance` (the request URL), so answers to different URLs compare equal. */
export function problemOf(response: LightMyRequestResponse): Record<string, unknown> {
  const { instance: _instance, ...rest } = response.json() as Record<string, unknown>
  return rest
}

/** Asserts an RFC 9457 answer with the given status and stable code. */
export function expectProblem(response: LightMyRequestResponse, status: number, code: string): void {
  expect({ status: response.statusCode, body: response.body.slice(0, 300) }).toMatchObject({ status })
  expect(response.headers['content-type']).toContain('application/problem+json')
  expect(response.json()).toMatchObject({ status, code })
}

export interface UploadedDocument {
  id: string
  fileId: string
  inspectJobId: string | null
}

/** Uploads the corpus PDF 001 as the given clerk, with extra register fields (e.g. secrecy). */
export async function uploadDocument(
  app: FastifyInstance,
  headers: Headers,
  fields: Record<string, string> = {},
): Promise<UploadedDocument> {
  const pdf = await readFile(corpusFile('001.pdf'))
  const { payload, headers: multipart } = multipartBody([
    { name: 'direction', value: 'incoming' },
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', fileName: 'van-ban.pdf', contentType: 'application/pdf', data: pdf },
  ])
  const response = await app.inject({ method: 'POST', url: '/api/documents', payload, headers: { ...multipart, ...headers } })
  if (response.statusCode !== 201) throw new Error(`upload: ${response.statusCode} ${response.body}`)
  const body = response.json()
  return { id: body.document.id, fileId: body.file.id, inspectJobId: body.inspectJobId }
}

/** Puts a user or a department on a document's routing path, as routing will. */
export async function addParticipant(
  database: Database,
  documentId: string,
  who: { userId: string } | { departmentId: string },
  role = 'lead',
): Promise<void> {
  await database.db.insert(documentParticipants).values({ documentId, role, ...who })
}

/** An explicit grant row to read a secret document (on top of clearance); no clearance check, unlike the API. */
export async function grantSecret(database: Database, documentId: string, userId: string): Promise<void> {
  await database.db.insert(documentGrants).values({ documentId, userId }).onConflictDoNothing()
}

export async function setDocumentStatus(database: Database, documentId: string, status: string): Promise<void> {
  await database.db.update(documents).set({ status }).where(eq(documents.id, documentId))
}

/** A second agency with one leader (clearance 3), signed in: must see nothing of the first agency. */
export async function seedOtherAgencyLeader(database: Database, app: FastifyInstance): Promise<{ id: string; headers: Headers }> {
  const [agency] = await database.db.insert(agencies).values({ name: 'Sở Tư pháp', abbreviation: 'STP' }).returning()
  const [user] = await database.db
    .insert(users)
    .values({
      agencyId: agency!.id,
      username: 'giamdocstp',
      fullName: 'Giám đốc Sở Tư pháp',
      roles: ['leader'],
      clearance: 3,
      passwordHash: await hashPassword(USER_PASSWORD),
    })
    .returning()
  return { id: user!.id, headers: await tokenFor(app, 'giamdocstp') }
}

/**
 * TOTP codes are accepted ±1 step (30 s) and never twice: tests use the previous, current and next
 * step's code in that order. Waits out the last second of a step so the three stay valid meanwhile.
 */
export async function totpStepsFromNow(secret: string): Promise<{ previous: string; current: string; next: string }> {
  const intoStep = Date.now() % 30_000
  if (intoStep > 28_500) await new Promise((resolve) => setTimeout(resolve, 30_000 - intoStep + 50))
  const now = Date.now()
  return {
    previous: currentTotp(secret, now - 30_000),
    current: currentTotp(secret, now),
    next: currentTotp(secret, now + 30_000),
  }
}

/** A six-digit code that is none of the given (valid) ones. */
export function wrongTotp(valid: string[]): string {
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0')
    if (!valid.includes(code)) return code
  }
}
