import { createHash, randomUUID } from 'node:crypto'
import { canonicalJson } from './canonical-json.ts'

export const GENESIS_HASH = '0'.repeat(64)

/** The hashed content of one audit event. */
export interface ChainedEvent {
  seq: number
  occurredAt: Date
  actor: string
  action: string
  targetType: string
  targetId: string | null
  details: Record<string, unknown>
  prevHash: string
}

/** hash = SHA-256(canonical JSON of the event including the previous event's hash). */
export function hashEvent(event: ChainedEvent): string {
  const { seq, occurredAt, actor, action, targetType, targetId, details, prevHash } = event
  const canonical = canonicalJson({
    seq,
    occurredAt: occurredAt.toISOString(),
    actor,
    action,
    targetType,
    targetId,
    details,
    prevHash,
  })
  return createHash('sha256').update(canonical, 'utf8').digest('hex')
}

/**
 * The canonical JSON hashEvent hashes, cut where the head's values go: `before` + prevHash + `middle`
 * + seq + `after` is exactly what hashEvent would hash for those values (keys are sorted: prevHash comes
 * before seq), so the database can finish the hash while it holds the head.
 */
export function canonicalAroundHead(event: Omit<ChainedEvent, 'seq' | 'prevHash'>): { before: string; middle: string; after: string } {
  const prevMark = `prev-${randomUUID()}`
  const seqMark = `seq-${randomUUID()}`
  const canonical = canonicalJson({
    seq: seqMark,
    occurredAt: event.occurredAt.toISOString(),
    actor: event.actor,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    details: event.details,
    prevHash: prevMark,
  })
  const [before, rest, ...extraPrev] = canonical.split(prevMark)
  const [middle, after, ...extraSeq] = (rest ?? '').split(`"${seqMark}"`)
  if (extraPrev.length > 0 || extraSeq.length > 0 || after === undefined) throw new Error('audit event: head marks not unique')
  return { before: before!, middle: middle!, after }
}

export interface ChainVerdict {
  ok: boolean
  checked: number
  /** The first event whose content, position or link does not hold; null when ok. */
  firstBrokenSeq: number | null
  reason?:
    | 'hash-mismatch'
    | 'link-mismatch'
    | 'missing-event'
    | 'head-mismatch'
    /** The chain no longer holds the event hash a signed checkpoint pinned (rewritten before it). */
    | 'checkpoint-mismatch'
    /** A stored checkpoint whose statement or signature does not hold, or not by this server's audit key. */
    | 'checkpoint-invalid'
    /** A checkpoint was removed: a gap in their numbers, or a checkpoint event whose row is gone. */
    | 'checkpoint-missing'
  /** The checkpoint concerned, with the checkpoint reasons. */
  checkpointId?: number
  /** Why a checkpoint is invalid: statement-unreadable, statement-differs, unknown-key, signature-invalid, … */
  checkpointProblem?: string
  /** Signed checkpoints the chain was compared with (all of them when ok). */
  checkpoints?: number
}

/**
 * Walks stored events in seq order, carrying the last good event between batches, so a chain of any
 * length is verified in constant memory.
 */
export class ChainWalker {
  private expectedSeq = 1
  private prevHash = GENESIS_HASH
  checked = 0

  /** Returns a verdict at the first broken event, or undefined while everything holds. */
  accept(event: ChainedEvent & { hash: string }): ChainVerdict | undefined {
    if (event.seq !== this.expectedSeq) return this.broken(this.expectedSeq, 'missing-event')
    if (event.prevHash !== this.prevHash) return this.broken(event.seq, 'link-mismatch')
    if (hashEvent(event) !== event.hash) return this.broken(event.seq, 'hash-mismatch')
    this.checked++
    this.expectedSeq = event.seq + 1
    this.prevHash = event.hash
    return undefined
  }

  /** Compares the end of the walk with the recorded head: events cut off the end are caught here. */
  finish(head: { lastSeq: number; lastHash: string }): ChainVerdict {
    const lastSeq = this.expectedSeq - 1
    if (head.lastSeq > lastSeq) return this.broken(lastSeq + 1, 'missing-event')
    if (head.lastSeq < lastSeq || head.lastHash !== this.prevHash) return this.broken(head.lastSeq, 'head-mismatch')
    return { ok: true, checked: this.checked, firstBrokenSeq: null }
  }

  private broken(seq: number, reason: NonNullable<ChainVerdict['reason']>): ChainVerdict {
    return { ok: false, checked: this.checked, firstBrokenSeq: seq, reason }
  }
}
