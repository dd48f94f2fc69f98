import { describe, expect, it } from 'vitest'
import { weakDigest, weakKey, weakSignatureAlgorithm } from '../../../src/pades/cms/algorithm-policy.ts'
import { validatePath } from '../../../src/pades/x509/path-validation.ts'
import { toX509 } from '../../../src/pades/x509/x509.ts'
import { createAttackCerts } from '../../attack-corpus/attack-certs.ts'
import { testPki } from '../../helpers/test-pki.ts'

const x509 = (input: string | Uint8Array) => toX509(input)!
const now = { at: new Date(), purpose: 'document-signing' as const }

describe('certificate paths (RFC 5280 §6) and the algorithm policy', () => {
  const pki = testPki()
  const attack = createAttackCerts(pki)
  const anchors = [pki.root.x509]
  const check = (leaf: string, chain: Uint8Array[], options = now) =>
    validatePath(x509(leaf), chain.map(x509), anchors, options)

  it('GIVEN the leader through the intermediate to the root THEN trusted with no finding, anchor last', () => {
    const result = check(pki.leader.certPem, [pki.intermediate.der])
    expect(result).toMatchObject({ trusted: true, reasons: [] })
    expect(result.path.map((cert) => cert.subject)).toEqual(
      [pki.leader, pki.intermediate, pki.root].map((c) => c.x509.subject),
    )
  })

  it('GIVEN an issuer that is no CA, a sub-CA past pathLen 0, a CA without keyCertSign THEN ca-constraints', () => {
    expect(check(attack.byEndEntity.signer.certPem, attack.byEndEntity.chain).reasons).toContain(
      'ca-constraints',
    )
    expect(check(attack.pathTooLong.signer.certPem, attack.pathTooLong.chain).reasons).toContain(
      'ca-constraints',
    )
    expect(check(attack.caWithoutCertSign.signer.certPem, attack.caWithoutCertSign.chain).reasons).toContain(
      'ca-constraints',
    )
  })

  it('GIVEN a TSA certificate or a certificate without a signing key usage THEN it may not sign documents', () => {
    expect(check(pki.tsa.certPem, [pki.intermediate.der]).reasons).toEqual(['extended-key-usage'])
    expect(
      check(pki.tsa.certPem, [pki.intermediate.der], { at: new Date(), purpose: 'timestamping' } as never)
        .reasons,
    ).toEqual([])
    expect(check(attack.noSigningUsage.signer.certPem, attack.noSigningUsage.chain).reasons).toEqual([
      'key-usage',
    ])
  })

  it('GIVEN an unknown critical extension, SHA-1, a 1024-bit key, a future notBefore THEN each is a finding', () => {
    expect(check(attack.unknownCritical.signer.certPem, attack.unknownCritical.chain).reasons).toEqual([
      'unknown-critical-extension',
    ])
    expect(check(attack.sha1Certificate.signer.certPem, attack.sha1Certificate.chain).reasons).toEqual([
      'weak-algorithm',
    ])
    expect(check(attack.shortKey.signer.certPem, attack.shortKey.chain).reasons).toEqual(['weak-algorithm'])
    expect(check(attack.notYetValid.signer.certPem, attack.notYetValid.chain).reasons).toEqual([
      'certificate-expired',
    ])
  })

  it('GIVEN no anchor THEN untrusted-chain with the partial path', () => {
    const result = validatePath(pki.leader.x509, [pki.intermediate.x509, pki.root.x509], [], now)
    expect(result.trusted).toBe(false)
    expect(result.reasons[0]).toBe('untrusted-chain')
    expect(result.path).toHaveLength(3)
  })

  it('GIVEN algorithms WHEN judged THEN SHA-1/MD5 and short keys are weak, SHA-256 and RSA-2048 are not', () => {
    expect(weakDigest('1.3.14.3.2.26')).toBe(true)
    expect(weakDigest('2.16.840.1.101.3.4.2.1')).toBe(false)
    expect(weakSignatureAlgorithm('1.2.840.113549.1.1.5')).toBe(true)
    expect(weakKey(attack.shortKey.signer.privateKey)).toBe(true)
    expect(weakKey(pki.leader.privateKey)).toBe(false)
  })
})
