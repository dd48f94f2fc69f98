import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { certificateFingerprint, generateAuditKey, openAuditKey } from '../../src/audit/checkpoints/audit-key.ts'
import { checkSignature, parseStatement, signStatement, STATEMENT_FORMAT, statementText } from '../../src/audit/checkpoints/checkpoint-statement.ts'
import { SecretBox } from '../../src/auth/secrets.ts'

const box = new SecretBox(randomBytes(32))
const { key, stored } = generateAuditKey(box, 'Sở Nội vụ tỉnh Đồng Tháp')
const statement = statementText({ format: STATEMENT_FORMAT, chainSeq: 42, chainHash: 'ab'.repeat(32), createdAt: '2026-12-07T17:00:00.000Z' })

describe('checkpoint statements and the audit key', () => {
  it('GIVEN a statement WHEN written THEN canonical ASCII JSON that parses back; anything else is refused', () => {
    expect(statement).toBe(`{"chainHash":"${'ab'.repeat(32)}","chainSeq":42,"createdAt":"2026-12-07T17:00:00.000Z","format":"vanthu-audit-checkpoint/1"}`)
    expect(parseStatement(statement)).toMatchObject({ chainSeq: 42 })
    expect(parseStatement(statement.replace(',', ', '))).toBeUndefined()
    expect(parseStatement(statement.replace('/1', '/2'))).toBeUndefined()
    expect(parseStatement(statement.replace('"ab', '"zz'))).toBeUndefined()
    expect(parseStatement('not json')).toBeUndefined()
  })

  it('GIVEN the audit key WHEN sealed THEN it opens with this server key only, and not under another certificate', () => {
    expect(openAuditKey(box, stored)?.fingerprint).toBe(key.fingerprint)
    expect(openAuditKey(new SecretBox(randomBytes(32)), stored)).toBeUndefined()
    const other = generateAuditKey(box, 'khác').stored
    expect(openAuditKey(box, { ...stored, certificate: other.certificate, fingerprint: other.fingerprint })).toBeUndefined()
    expect(certificateFingerprint(stored.certificate)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('GIVEN a signed statement WHEN checked THEN it holds; another statement, or a signature by another key, does not', () => {
    const signature = signStatement(statement, key)
    expect(checkSignature({ statement, signature, certificatePem: key.certificatePem })).toBeUndefined()
    expect(checkSignature({ statement: statement.replace('42', '41'), signature, certificatePem: key.certificatePem })).toBe('signature-invalid')
    const stranger = generateAuditKey(box, 'kẻ giả mạo').key
    const foreign = signStatement(statement, stranger)
    expect(checkSignature({ statement, signature: foreign, certificatePem: key.certificatePem })).toBe('signer-not-audit-key')
    expect(checkSignature({ statement, signature: Buffer.from('garbage'), certificatePem: key.certificatePem })).toBe('signature-invalid')
    expect(checkSignature({ statement, signature, certificatePem: key.certificatePem, timestampToken: Buffer.from('not a token') })).toBe('timestamp-invalid')
  })
})
