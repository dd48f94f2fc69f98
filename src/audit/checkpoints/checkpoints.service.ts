/**
 * Checkpoints of the audit chain (issue 13): the head signed with the audit key and, when a TSA is
 * configured, timestamped (RFC 3161, over the statement: the TSA vouches that this head existed then,
 * whoever holds the key later). Made hourly by a job and on demand by an admin, stored append-only,
 * each one recorded in the chain itself, and exported for anyone to check offline with openssl.
 */
import { createHash } from 'node:crypto'
import type { SecretBox } from '../../auth/secrets.ts'
import type { Database } from '../../platform/db/database.ts'
import { requestTimestamp, TimestampError, type TsaOptions } from '../../signatures/timestamping/tsa-client.ts'
import { lockHead, readHead } from '../audit.repository.ts'
import { type AuditContext, appendAuditEvent } from '../audit.service.ts'
import { type AuditKey, generateAuditKey, openAuditKey } from './audit-key.ts'
import { CHECKPOINT_CREATED, STATEMENT_FORMAT, signStatement, statementText } from './checkpoint-statement.ts'
import * as repository from './checkpoints.repository.ts'

export { CHECKPOINT_CREATED }
export const AUDIT_KEY_CREATED = 'audit.key.created'

export interface CheckpointDeps {
  database: Database
  secretBox: SecretBox
  /** Timestamp each checkpoint when set (the signing flow's TSA). */
  tsa?: TsaOptions | undefined
}

/** A checkpoint as exported: everything `openssl cms -verify` and `openssl ts -verify` need. */
export interface CheckpointExport {
  id: number
  chainSeq: number
  chainHash: string
  createdAt: string
  /** The exact signed bytes (UTF-8, ASCII only): write them to a file without a trailing newline. */
  statement: string
  /** Detached CMS SignedData, DER, base64. */
  signature: string
  keyFingerprint: string
  /** The audit key's self-signed certificate (PEM). */
  certificate: string
  /** RFC 3161 TimeStampToken over the statement, DER, base64; null without a TSA. */
  timestampToken: string | null
  timestampedAt: string | null
}

export type CreateCheckpointResult =
  | { created: CheckpointExport; timestampError?: string | undefined }
  | { skipped: 'unchanged'; lastCheckpointId: number }

/**
 * Signs the current head. With `onlyIfChanged` (the scheduled job) nothing is made when no event but
 * the last checkpoint's own was appended since it.
 */
export async function createCheckpoint(
  deps: CheckpointDeps,
  context: AuditContext,
  options: { onlyIfChanged?: boolean } = {},
): Promise<CreateCheckpointResult> {
  const db = deps.database.db
  if (options.onlyIfChanged) {
    const [last, head] = [await repository.lastCheckpoint(db), await readHead(db)]
    if (last && (await unchangedSince(deps.database, last.chainSeq, head.lastSeq))) {
      return { skipped: 'unchanged', lastCheckpointId: last.id }
    }
  }
  // The key first: the first checkpoint then pins the event that records the key's creation too.
  const key = await currentAuditKey(deps, context)
  const head = await readHead(db)
  const createdAt = new Date()
  const statement = statementText({ format: STATEMENT_FORMAT, chainSeq: head.lastSeq, chainHash: head.lastHash, createdAt: createdAt.toISOString() })
  const signature = signStatement(statement, key)
  const stamp = deps.tsa ? await timestampStatement(statement, deps.tsa) : {}
  const row = await db.transaction(async (tx) => {
    await lockHead(tx) // hands out checkpoint ids one at a time
    const values: repository.CheckpointRow = {
      id: await repository.nextCheckpointId(tx),
      chainSeq: head.lastSeq,
      chainHash: head.lastHash,
      createdAt,
      statement,
      signature: signature.toString('base64'),
      keyFingerprint: key.fingerprint,
      timestampToken: stamp.token?.toString('base64') ?? null,
      timestampedAt: stamp.genTime ?? null,
    }
    await repository.insertCheckpoint(tx, values)
    await appendAuditEvent(tx, context, {
      action: CHECKPOINT_CREATED,
      targetType: 'audit-checkpoint',
      targetId: String(values.id),
      details: {
        chainSeq: values.chainSeq,
        chainHash: values.chainHash,
        keyFingerprint: key.fingerprint,
        signatureSha256: createHash('sha256').update(signature).digest('hex'),
        timestamped: stamp.token !== undefined,
        ...(stamp.error ? { timestampError: stamp.error } : {}),
      },
    })
    return values
  })
  return { created: toExport(row, key.certificatePem), timestampError: stamp.error }
}

/** Checkpoints in id order after `afterId`, with the certificate of the key that signed each. */
export async function listCheckpointExports(database: Database, afterId: number, limit: number): Promise<CheckpointExport[]> {
  const [rows, keys] = await Promise.all([
    repository.listCheckpoints(database.db, afterId, limit),
    repository.listAuditKeys(database.db),
  ])
  const certificates = new Map(keys.map((key) => [key.fingerprint, key.certificate]))
  return rows.map((row) => toExport(row, certificates.get(row.keyFingerprint) ?? ''))
}

/** The newest audit key this server can open; made (and audit-logged) on first use. */
async function currentAuditKey(deps: CheckpointDeps, context: AuditContext): Promise<AuditKey> {
  const db = deps.database.db
  for (const stored of await repository.listAuditKeys(db)) {
    const key = openAuditKey(deps.secretBox, stored)
    if (key) return key
  }
  const { key, stored } = generateAuditKey(deps.secretBox, await repository.agencyName(db))
  await db.transaction(async (tx) => {
    await repository.insertAuditKey(tx, stored)
    await appendAuditEvent(tx, context, {
      action: AUDIT_KEY_CREATED,
      targetType: 'audit-key',
      targetId: key.fingerprint,
      details: { fingerprint: key.fingerprint },
    })
  })
  return key
}

/** A TSA that fails leaves the checkpoint signed but untimestamped (and says why): better than none. */
async function timestampStatement(statement: string, tsa: TsaOptions): Promise<{ token?: Buffer; genTime?: Date; error?: string }> {
  try {
    const { token, verification } = await requestTimestamp(Buffer.from(statement, 'utf8'), tsa)
    return { token, genTime: verification.genTime }
  } catch (error) {
    if (error instanceof TimestampError) return { error: error.code }
    throw error
  }
}

async function unchangedSince(database: Database, checkpointSeq: number, headSeq: number): Promise<boolean> {
  if (headSeq === checkpointSeq) return true
  return headSeq === checkpointSeq + 1 && (await repository.eventAction(database.db, headSeq)) === CHECKPOINT_CREATED
}

function toExport(row: repository.CheckpointRow, certificate: string): CheckpointExport {
  return {
    id: row.id,
    chainSeq: Number(row.chainSeq),
    chainHash: row.chainHash,
    createdAt: row.createdAt.toISOString(),
    statement: row.statement,
    signature: row.signature,
    keyFingerprint: row.keyFingerprint,
    certificate,
    timestampToken: row.timestampToken,
    timestampedAt: row.timestampedAt?.toISOString() ?? null,
  }
}
