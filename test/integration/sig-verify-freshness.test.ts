import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { signDigest } from '../../src/pades/cms/pades-cms.ts'
import { appendDss, embedSignature, prepareSignature } from '../../src/pades/pdf/index.ts'
import { buildCrl, type Crl } from '../../scripts/lib/test-pki/crl.ts'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'
import { ocspStatus, parseOcsp } from '../../src/pades/revocation/ocsp-check.ts'
import { revocationFresh, verifyPdf, type VerifyPdfOptions } from '../../src/pades/verify/verify-pdf.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { hasOpenssl, openssl, testPki, testPkiFiles } from '../helpers/test-pki.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Signed (no timestamp) with /M = `signingTime`: the best signature time is that claimed time. */
async function signAt(bytes: Uint8Array, who: IssuedCert, signingTime: Date): Promise<Uint8Array> {
  const { intermediate, root } = testPki()
  const prepared = await prepareSignature(bytes, { name: 'Nguyễn Văn An', signingTime })
  const cms = signDigest({
    digest: prepared.digest(),
    privateKey: who.privateKey,
    signerCert: who.certPem,
    chain: [intermediate.der, root.der],
  })
  return embedSignature(prepared, cms)
}

/** The CRLs of both CAs with the given times; the intermediate's lists the revoked test certificate. */
function crlsAt(thisUpdate: Date, nextUpdate: Date, root = { thisUpdate, nextUpdate }): Crl[] {
  const { intermediate, root: rootCa, revoked } = testPki()
  const revokedAt = testPki().crls.intermediate.revoked[0]!.revokedAt
  return [
    buildCrl({
      issuer: intermediate,
      revoked: [{ serialHex: revoked.serialHex, revokedAt }],
      thisUpdate,
      nextUpdate,
      crlNumber: thisUpdate.getTime() % 100_000,
    }),
    buildCrl({ issuer: rootCa, revoked: [], ...root, crlNumber: thisUpdate.getTime() % 100_000 }),
  ]
}

const online =
  (crls: Crl[]): VerifyPdfOptions['fetchRevocation'] =>
  async () => ({ crls: crls.map((crl) => crl.der), ocsps: [] })

describe('revocation freshness relative to the best signature time', () => {
  const signingTime = new Date(Date.now() - 2 * HOUR)
  let original: Uint8Array
  let leaderSigned: Uint8Array
  let revokedSigned: Uint8Array
  const anchors = () => [testPki().root.certPem]

  beforeAll(async () => {
    original = readFileSync(corpusFile('001.pdf'))
    leaderSigned = await signAt(original, testPki().leader, signingTime)
    revokedSigned = await signAt(original, testPki().revoked, signingTime)
  }, 60_000)

  it('GIVEN CRLs issued after the signing time WHEN verified days later THEN valid: they saw the certificate after the signature', async () => {
    const crls = crlsAt(new Date(signingTime.getTime() + HOUR), new Date(signingTime.getTime() + HOUR + DAY))
    const [signature] = (
      await verifyPdf(leaderSigned, {
        trustAnchors: anchors(),
        fetchRevocation: online(crls),
        now: new Date(signingTime.getTime() + 10 * DAY),
      })
    ).signatures
    expect(signature).toMatchObject({ verdict: 'valid', revocation: 'good', revocationSource: 'fetched' })
    expect(signature!.reasons).not.toContain('revocation-not-fresh')
  })

  it('GIVEN CRLs issued before the signing time whose nextUpdate has passed WHEN verified THEN indeterminate revocation-not-fresh', async () => {
    const crls = crlsAt(new Date(signingTime.getTime() - 2 * HOUR), new Date(signingTime.getTime() + HOUR))
    const [signature] = (
      await verifyPdf(leaderSigned, { trustAnchors: anchors(), fetchRevocation: online(crls) })
    ).signatures
    expect(signature).toMatchObject({
      verdict: 'indeterminate',
      reason: 'revocation-not-fresh',
      revocation: 'unknown',
      chain: { trusted: true },
      integrity: true,
    })
  })

  it('GIVEN the same CRLs in the DSS WHEN verified while they are still current THEN valid', async () => {
    const crls = crlsAt(new Date(signingTime.getTime() - 2 * HOUR), new Date(signingTime.getTime() + HOUR))
    const withDss = await appendDss(leaderSigned, { crls: crls.map((crl) => crl.der) })
    const current = await verifyPdf(withDss, {
      trustAnchors: anchors(),
      now: new Date(signingTime.getTime() + 30 * 60_000),
    })
    expect(current.signatures[0]).toMatchObject({
      verdict: 'valid',
      revocation: 'good',
      revocationSource: 'dss',
    })
    const later = await verifyPdf(withDss, { trustAnchors: anchors() })
    expect(later.signatures[0]).toMatchObject({ verdict: 'indeterminate', reason: 'revocation-not-fresh' })
  })

  it('GIVEN stale CRLs in the DSS and fresh ones online WHEN verified THEN the fresh ones count', async () => {
    const stale = crlsAt(new Date(signingTime.getTime() - 2 * HOUR), new Date(signingTime.getTime() + HOUR))
    const fresh = crlsAt(new Date(Date.now() - HOUR), new Date(Date.now() + DAY))
    const withDss = await appendDss(leaderSigned, { crls: stale.map((crl) => crl.der) })
    const [signature] = (
      await verifyPdf(withDss, { trustAnchors: anchors(), fetchRevocation: online(fresh) })
    ).signatures
    expect(signature).toMatchObject({ verdict: 'valid', revocation: 'good', revocationSource: 'fetched' })
  })

  it("GIVEN a fresh intermediate CRL but a stale root CRL WHEN verified THEN revocation-not-fresh (the intermediate's status is stale)", async () => {
    const crls = crlsAt(new Date(signingTime.getTime() + HOUR), new Date(Date.now() + DAY), {
      thisUpdate: new Date(signingTime.getTime() - DAY),
      nextUpdate: new Date(signingTime.getTime() + HOUR),
    })
    const [signature] = (
      await verifyPdf(leaderSigned, { trustAnchors: anchors(), fetchRevocation: online(crls) })
    ).signatures
    expect(signature).toMatchObject({ verdict: 'indeterminate', reason: 'revocation-not-fresh' })
  })

  it('GIVEN a stale CRL that lists the signer as revoked before signing WHEN verified THEN invalid revoked: a revocation does not expire', async () => {
    const crls = crlsAt(new Date(signingTime.getTime() - HOUR), new Date(signingTime.getTime() + 60_000))
    const [signature] = (
      await verifyPdf(revokedSigned, { trustAnchors: anchors(), fetchRevocation: online(crls) })
    ).signatures
    expect(signature).toMatchObject({ verdict: 'invalid', reason: 'revoked', revocation: 'revoked' })
  })

  it.skipIf(!hasOpenssl)(
    'GIVEN an OCSP response made by openssl ocsp WHEN read THEN its thisUpdate and nextUpdate bound the status',
    async () => {
      const { dir } = await testPkiFiles()
      const work = mkdtempSync(path.join(os.tmpdir(), 'sig-freshness-'))
      const { leader, intermediate } = testPki()
      const file = (name: string) => path.join(dir, name)
      writeFileSync(
        path.join(work, 'index.txt'),
        `V\t301231000000Z\t\t${leader.serialHex.toUpperCase()}\tunknown\t/CN=leader\n`,
      )
      const request = ['-issuer', file('intermediate.pem'), '-cert', file('leader.pem'), '-no_nonce']
      expect(openssl(['ocsp', ...request, '-reqout', 'leader.req'], work).status).toBe(0)
      const signer = ['-rsigner', file('intermediate.pem'), '-rkey', file('intermediate.key.pem')]
      const respond = ['-index', 'index.txt', ...signer, '-CA', file('intermediate.pem'), '-ndays', '2']
      const made = openssl(['ocsp', ...respond, '-reqin', 'leader.req', '-respout', 'leader.ocsp'], work)
      expect(made.status, made.output).toBe(0)
      const parsed = parseOcsp(readFileSync(path.join(work, 'leader.ocsp')))
      rmSync(work, { recursive: true, force: true })
      const status = ocspStatus(leader.x509, intermediate.x509, parsed ? [parsed] : [])
      expect(status.status).toBe('good')
      if (status.status !== 'good') return
      expect(Math.abs(status.issuedAt!.getTime() - Date.now())).toBeLessThan(5 * 60_000)
      expect(Math.abs(status.nextUpdate!.getTime() - (Date.now() + 2 * DAY))).toBeLessThan(5 * 60_000)
      // Issued after the signature (two hours ago): fresh; for a signature made tomorrow it stays current.
      expect(revocationFresh(status, signingTime, new Date())).toBe(true)
      expect(revocationFresh(status, new Date(Date.now() + DAY), new Date(Date.now() + 3 * DAY))).toBe(false)
    },
  )

  it('GIVEN the rule WHEN applied to single statuses THEN issue after the signature, or a window still open now, and never data from the future', () => {
    const at = new Date('2026-06-01T08:00:00Z')
    const now = new Date('2026-06-10T08:00:00Z')
    const good = (issuedAt: string, nextUpdate?: string) => ({
      status: 'good' as const,
      source: 'crl' as const,
      issuedAt: new Date(issuedAt),
      nextUpdate: nextUpdate ? new Date(nextUpdate) : undefined,
    })
    expect(revocationFresh(good('2026-06-01T09:00:00Z'), at, now)).toBe(true)
    expect(revocationFresh(good('2026-06-01T07:00:00Z', '2026-06-02T07:00:00Z'), at, now)).toBe(false)
    expect(revocationFresh(good('2026-06-01T07:00:00Z', '2026-06-11T00:00:00Z'), at, now)).toBe(true)
    expect(revocationFresh(good('2026-06-01T07:00:00Z'), at, now)).toBe(false)
    expect(revocationFresh(good('2026-06-12T00:00:00Z', '2026-06-13T00:00:00Z'), at, now)).toBe(false)
    expect(revocationFresh({ status: 'unknown' }, at, now)).toBe(false)
  })
})
