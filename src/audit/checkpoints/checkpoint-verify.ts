/**
 * The chain checked against its stored checkpoints, during the same walk as the hash chain. A rewrite
 * the hashes alone cannot show (events cut off the end and the head rewound, or every hash recomputed
 * from some event on) changes the hash of an event a checkpoint pinned, or removes it: reported as
 * `checkpoint-mismatch` naming the checkpoint. Checkpoints are only believed when their statement is
 * signed by an audit key this server sealed; ids run 1..n, and each checkpoint's own event in the chain
 * must find its row, so removing checkpoints shows too (up to the last one: for that, exported copies).
 */
import { createHash } from 'node:crypto'
import type { SecretBox } from '../../auth/secrets.ts'
import { type ChainedEvent, type ChainVerdict, GENESIS_HASH } from '../audit-chain.ts'
import { openAuditKey } from './audit-key.ts'
import { CHECKPOINT_CREATED, checkSignature, parseStatement } from './checkpoint-statement.ts'
import type { AuditKeyRow, CheckpointRow } from './checkpoints.repository.ts'

export type CheckpointReason = 'checkpoint-mismatch' | 'checkpoint-invalid' | 'checkpoint-missing'

interface Finding {
  reason: CheckpointReason
  checkpointId: number
  /** The event where the chain and the checkpoint part; null when the checkpoint itself is at fault. */
  seq: number | null
  problem?: string
}

/** Follows the walk: call `check` for every event the chain walker accepted, then `finish`. */
export class CheckpointPins {
  private readonly bySeq: CheckpointRow[]
  private next = 0
  private readonly byId: Map<number, CheckpointRow>

  private constructor(readonly rows: CheckpointRow[]) {
    this.bySeq = [...rows].sort((a, b) => Number(a.chainSeq) - Number(b.chainSeq) || a.id - b.id)
    this.byId = new Map(rows.map((row) => [row.id, row]))
  }

  /**
   * Checks each stored checkpoint on its own (statement, signature, key, numbering); returns the first
   * problem, or the pins to follow the walk with.
   */
  static load(rows: CheckpointRow[], keys: AuditKeyRow[], secretBox: SecretBox | undefined): CheckpointPins | Finding {
    const certificates = genuineKeys(keys, secretBox)
    const ordered = [...rows].sort((a, b) => a.id - b.id)
    for (const [index, row] of ordered.entries()) {
      if (row.id !== index + 1) return { reason: 'checkpoint-missing', checkpointId: index + 1, seq: null }
      const problem = rowProblem(row, certificates)
      if (problem) return { reason: 'checkpoint-invalid', checkpointId: row.id, seq: null, problem }
    }
    const pins = new CheckpointPins(ordered)
    for (; pins.bySeq[pins.next]?.chainSeq === 0; pins.next++) {
      if (pins.bySeq[pins.next]!.chainHash !== GENESIS_HASH) return { reason: 'checkpoint-mismatch', checkpointId: pins.bySeq[pins.next]!.id, seq: 0 }
    }
    return pins
  }

  check(event: ChainedEvent & { hash: string }): Finding | undefined {
    for (let pin = this.bySeq[this.next]; pin && Number(pin.chainSeq) === event.seq; pin = this.bySeq[++this.next]) {
      if (pin.chainHash !== event.hash) return { reason: 'checkpoint-mismatch', checkpointId: pin.id, seq: event.seq }
    }
    if (event.action !== CHECKPOINT_CREATED) return undefined
    const id = Number(event.targetId)
    const row = this.byId.get(id)
    if (!row) return { reason: 'checkpoint-missing', checkpointId: id, seq: event.seq }
    if (row.chainHash !== event.details.chainHash) return { reason: 'checkpoint-mismatch', checkpointId: id, seq: event.seq }
    return undefined
  }

  /** Checkpoints beyond the end of the walk pinned events that are gone (cut off, head rewound). */
  finish(): Finding | undefined {
    const pin = this.bySeq[this.next]
    return pin ? { reason: 'checkpoint-mismatch', checkpointId: pin.id, seq: Number(pin.chainSeq) } : undefined
  }
}

export function findingVerdict(finding: Finding, checked: number): ChainVerdict {
  return {
    ok: false,
    checked,
    firstBrokenSeq: finding.seq,
    reason: finding.reason,
    checkpointId: finding.checkpointId,
    ...(finding.problem ? { checkpointProblem: finding.problem } : {}),
  }
}

/** Certificates (by fingerprint) of the keys this server sealed; all of them when no SecretBox is given. */
function genuineKeys(keys: AuditKeyRow[], secretBox: SecretBox | undefined): Map<string, string> {
  const genuine = secretBox ? keys.filter((key) => openAuditKey(secretBox, key)) : keys
  return new Map(genuine.map((key) => [key.fingerprint, key.certificate]))
}

function rowProblem(row: CheckpointRow, certificates: Map<string, string>): string | undefined {
  const statement = parseStatement(row.statement)
  if (!statement) return 'statement-unreadable'
  if (
    statement.chainSeq !== Number(row.chainSeq) ||
    statement.chainHash !== row.chainHash ||
    statement.createdAt !== row.createdAt.toISOString()
  ) {
    return 'statement-differs'
  }
  const certificatePem = certificates.get(row.keyFingerprint)
  if (!certificatePem) return 'unknown-key'
  const digest = rowDigest(row, certificatePem)
  if (verifiedRows.has(digest)) return undefined
  const problem = checkSignature({
    statement: row.statement,
    signature: Buffer.from(row.signature, 'base64'),
    certificatePem,
    timestampToken: row.timestampToken ? Buffer.from(row.timestampToken, 'base64') : undefined,
  })
  if (!problem) remember(digest)
  return problem
}

/**
 * Checkpoints whose exact bytes (statement, signature, token, certificate) verified before in this
 * process: a signature check costs ~3-4 ms, a year of hourly checkpoints half a minute per verification.
 * Any change to a row changes its digest, so a tampered row is checked afresh.
 */
const verifiedRows = new Set<string>()
const VERIFIED_ROWS_MAX = 200_000

function remember(digest: string) {
  if (verifiedRows.size >= VERIFIED_ROWS_MAX) verifiedRows.clear()
  verifiedRows.add(digest)
}

function rowDigest(row: CheckpointRow, certificatePem: string): string {
  const hash = createHash('sha256')
  for (const part of [row.statement, row.signature, row.timestampToken ?? '', certificatePem]) hash.update(`${part.length}:${part}`)
  return hash.digest('hex')
}
