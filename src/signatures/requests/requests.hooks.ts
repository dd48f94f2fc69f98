import type { AuditContext } from '../../audit/audit.service.ts'
import type { Executor } from '../../platform/db/database.ts'

/**
 * Called in the signing transaction after a signed file is stored: a pending trình ký for the signer
 * is settled in the same transaction as the signature.
 */
export async function onDocumentSigned(
  _tx: Executor,
  _context: AuditContext,
  _signed: { documentId: string; fileId: string; kind: 'personal' | 'agency-seal' },
): Promise<void> {}
