import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalAroundHead, hashEvent } from '../../src/audit/audit-chain.ts'

/** The database finishes the hash of an event at the head: its pieces must rebuild hashEvent's input. */
describe('canonical JSON cut around the head', () => {
  const events = [
    {
      occurredAt: new Date('2026-12-08T00:30:00.123Z'),
      actor: 'user:9b0c7a52-5d0e-4a8e-9a57-2f4f0d3c1e11',
      action: 'document.registered',
      targetType: 'document',
      targetId: '3f1a2b3c-0000-4000-8000-000000000001',
      details: { incomingNumber: 42, subject: 'V/v dự toán ngân sách năm 2025 — “ủy ban”', nested: { prevHash: 'x', seq: 7 }, list: [1, 'hai', null] },
    },
    { occurredAt: new Date(0), actor: 'system', action: 'audit.checkpoint', targetType: 'audit', targetId: null, details: {} },
  ]

  it.each(events)('GIVEN an event WHEN cut and finished with a head THEN it hashes as hashEvent does ($action)', (event) => {
    const { before, middle, after } = canonicalAroundHead(event)
    for (const [seq, prevHash] of [
      [1, '0'.repeat(64)],
      [123456789, 'ab'.repeat(32)],
    ] as const) {
      const assembled = `${before}${prevHash}${middle}${seq}${after}`
      expect(createHash('sha256').update(assembled, 'utf8').digest('hex')).toBe(hashEvent({ ...event, seq, prevHash }))
    }
  })
})
