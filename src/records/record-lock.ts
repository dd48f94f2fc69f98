import { sql } from 'drizzle-orm'
import type { Tx } from '../platform/db/database.ts'
import { AppError } from '../platform/errors.ts'

/**
 * The database refuses changes to records (a document under a legal hold, or filed in a closed or
 * transferred hồ sơ) with SQLSTATE VT409 and a JSON detail naming the hold or the hồ sơ
 * (migrations/0016_records.sql). This turns that refusal into the 409 problem the API answers.
 */
export function recordLockError(error: unknown): AppError | undefined {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    const { code, message, detail } = cause as { code?: string; message?: string; detail?: string }
    if (code === 'VT409') {
      let extensions: Record<string, unknown> = {}
      try {
        extensions = JSON.parse(detail ?? '{}') as Record<string, unknown>
      } catch {
        // detail is ours and always JSON; keep the bare refusal if it is not
      }
      const onHold = message === 'record-on-hold'
      return new AppError(onHold ? 'record-on-hold' : 'record-closed', {
        detail: onHold
          ? `Legal hold "${String(extensions.holdTitle)}" (${String(extensions.holdId)}) forbids this change.`
          : `The document is a record of hồ sơ ${String(extensions.fileCode)} (${String(extensions.recordFileStatus)}).`,
        extensions,
        cause: error,
      })
    }
    cause = (cause as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * Lets the records service itself change records inside this transaction (transfer marks documents
 * archived; destruction marks their files destroyed): the guard trigger steps aside for it.
 */
export async function allowRecordChanges(tx: Tx): Promise<void> {
  await tx.execute(sql`select set_config('vanthu.records_change', 'on', true)`)
}

/** The 409 for a change a legal hold forbids, naming the hold. */
export function holdRefusal(hold: { id: string; title: string }): AppError {
  return new AppError('record-on-hold', {
    detail: `Legal hold "${hold.title}" (${hold.id}) forbids this change.`,
    extensions: { holdId: hold.id, holdTitle: hold.title },
  })
}
