import { createHash, sign } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OID } from '../../src/pades/cms/oids.ts'
import { assembleCms, buildSignedAttributes } from '../../src/pades/cms/pades-cms.ts'
import { findAttribute, parseCms } from '../../src/pades/cms/parse-cms.ts'
import { withUnsignedAttribute } from '../../src/pades/cms/signed-data.ts'
import {
  addSignatureTimestamp,
  requestTimestamp,
  TimestampError,
  timestampAttribute,
} from '../../src/signatures/timestamping/tsa-client.ts'
import { parseTimeStampReq, parseTimeStampResp } from '../../src/pades/cms/tsp.ts'
import { verifyCms } from '../../src/pades/cms/verify-cms.ts'
import {
  hasOpenssl,
  NO_OPENSSL,
  openssl,
  opensslCmsVerify,
  signedByLeader,
  testPki,
  testPkiFiles,
} from '../helpers/test-pki.ts'
import { startTestTsa, TEST_TSA_POLICY, type TestTsa } from '../helpers/tsa-server.ts'

const content = Buffer.from('byte ranges of Công văn số 05/UBND-VP', 'utf8')
const digest = createHash('sha256').update(content).digest()
let tsa: TestTsa

const signedCms = () => signedByLeader(digest)

async function timestampFailure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  )
  expect(error).toBeInstanceOf(TimestampError)
  return error as TimestampError
}

beforeAll(async () => {
  const { tsa: tsaCert, intermediate } = testPki()
  tsa = await startTestTsa(tsaCert, [intermediate])
})
afterAll(() => tsa.close())

describe('RFC 3161 signature timestamps against a loopback TSA', () => {
  it('GIVEN a signed CMS WHEN timestamped THEN the token is an unsigned attribute over the signature value and verifies', async () => {
    tsa.fault = undefined
    const cms = signedCms()
    const stamped = await addSignatureTimestamp(cms, { url: tsa.url, timeoutMs: 5_000 })
    const exchange = tsa.exchanges.at(-1)!
    const request = parseTimeStampReq(exchange.request)
    const signature = parseCms(cms).signerInfos[0]!.signature
    expect(request.hashAlgorithm).toBe(OID.sha256)
    expect(request.hashedMessage.equals(createHash('sha256').update(signature).digest())).toBe(true)
    expect(request.certReq).toBe(true)
    expect(request.nonce).toBeTypeOf('bigint')

    const result = verifyCms({ contents: stamped, digest })
    expect(result.reasons).toEqual([])
    expect(result.timestamp?.valid).toBe(true)
    expect(result.timestamp?.tsaCertificate?.subject).toContain('Vanthu Test TSA')
    expect(result.timestamp?.tstInfo?.policy).toBe(TEST_TSA_POLICY)
    expect(result.timestamp?.tstInfo?.nonce).toBe(request.nonce)
    expect(Math.abs(result.timestamp!.genTime!.getTime() - Date.now())).toBeLessThan(60_000)
    const tokens = findAttribute(
      parseCms(stamped).signerInfos[0]!.unsignedAttributes,
      OID.signatureTimeStampToken,
    )
    expect(tokens).toHaveLength(1)
    // The signed part is untouched: same signed attributes and signature as before.
    expect(parseCms(stamped).signerInfos[0]!.signedAttributesDer).toEqual(
      parseCms(cms).signerInfos[0]!.signedAttributesDer,
    )
  })

  it('GIVEN the two-step flow WHEN the token is passed to assembleCms THEN the CMS verifies with its timestamp', async () => {
    tsa.fault = undefined
    const { agency, intermediate } = testPki()
    const signedAttributesDer = buildSignedAttributes({ digest, signerCert: agency.der })
    const signatureValue = sign('sha256', signedAttributesDer, agency.privateKey)
    const { token } = await requestTimestamp(signatureValue, { url: tsa.url })
    const cms = assembleCms({
      signedAttributesDer,
      signatureValue,
      signerCert: agency.der,
      chain: [intermediate.der],
      unsignedAttributes: [timestampAttribute(token)],
    })
    const result = verifyCms({ contents: cms, digest })
    expect(result.valid, result.reasons.join()).toBe(true)
    expect(result.timestamp?.valid).toBe(true)
  })

  it('GIVEN a token for another signature THEN verifyCms reports timestamp-invalid (imprint-mismatch)', async () => {
    tsa.fault = undefined
    const { token } = await requestTimestamp(Buffer.from('some other signature value'), { url: tsa.url })
    const result = verifyCms({
      contents: withUnsignedAttribute(signedCms(), timestampAttribute(token)),
      digest,
    })
    expect(result.reasons).toEqual(['timestamp-invalid'])
    expect(result.timestamp?.reasons).toEqual(['imprint-mismatch'])
  })

  it('GIVEN a TSA that answers with the wrong nonce or imprint THEN the client refuses the token', async () => {
    tsa.fault = 'wrong-nonce'
    const nonce = await timestampFailure(requestTimestamp(content, { url: tsa.url }))
    expect(nonce.code).toBe('tsa-bad-token')
    expect(nonce.verification?.reasons).toEqual(['nonce-mismatch'])
    tsa.fault = 'wrong-imprint'
    const imprint = await timestampFailure(requestTimestamp(content, { url: tsa.url }))
    expect(imprint.verification?.reasons).toEqual(['imprint-mismatch'])
  })

  it('GIVEN a refusal, an HTTP error, a hanging TSA or no TSA THEN each fails with its code', async () => {
    tsa.fault = 'rejection'
    expect((await timestampFailure(requestTimestamp(content, { url: tsa.url }))).code).toBe('tsa-rejected')
    tsa.fault = 'http-500'
    expect((await timestampFailure(requestTimestamp(content, { url: tsa.url }))).code).toBe('tsa-http-status')
    tsa.fault = 'hang'
    const started = Date.now()
    const hung = await timestampFailure(requestTimestamp(content, { url: tsa.url, timeoutMs: 300 }))
    expect(hung.code).toBe('tsa-unreachable')
    expect(Date.now() - started).toBeLessThan(5_000)
    tsa.fault = undefined
    const closed = await timestampFailure(
      requestTimestamp(content, { url: 'http://127.0.0.1:1/tsa', timeoutMs: 2_000 }),
    )
    expect(closed.code).toBe('tsa-unreachable')
  })

  it('GIVEN a TSA whose certificate lacks the timeStamping EKU THEN the token is refused', async () => {
    const { leader, intermediate } = testPki()
    const impostor = await startTestTsa(leader, [intermediate])
    try {
      const error = await timestampFailure(requestTimestamp(content, { url: impostor.url }))
      expect(error.verification?.reasons).toEqual(['tsa-not-timestamping'])
    } finally {
      await impostor.close()
    }
  })

  describe.skipIf(!hasOpenssl)(`openssl ts cross-checks${hasOpenssl ? '' : ` (${NO_OPENSSL})`}`, () => {
    it('GIVEN a reply from the test TSA THEN openssl ts prints and verifies it, and cms -verify accepts the stamped CMS', async () => {
      tsa.fault = undefined
      const { dir } = await testPkiFiles()
      const work = mkdtempSync(path.join(os.tmpdir(), 'vanthu-tsa-'))
      const cms = signedCms()
      const stamped = await addSignatureTimestamp(cms, { url: tsa.url })
      const { request, reply } = tsa.exchanges.at(-1)!
      expect(parseTimeStampResp(reply).status).toBe(0)
      writeFileSync(path.join(work, 'req.tsq'), request)
      writeFileSync(path.join(work, 'resp.tsr'), reply)
      writeFileSync(path.join(work, 'signature.bin'), parseCms(cms).signerInfos[0]!.signature)
      writeFileSync(path.join(work, 'untrusted.pem'), testPki().tsa.certPem + testPki().intermediate.certPem)

      const text = openssl(['ts', '-reply', '-in', 'resp.tsr', '-text'], work)
      expect(text.stdout).toContain('Status: Granted.')
      expect(text.stdout).toContain(`Policy OID: ${TEST_TSA_POLICY}`)
      expect(text.stdout).toContain('Hash Algorithm: sha256')
      expect(text.stdout).toMatch(/Nonce: 0x[0-9A-F]+/)

      const trust = ['-CAfile', path.join(dir, 'root.pem'), '-untrusted', 'untrusted.pem']
      const byData = openssl(['ts', '-verify', '-data', 'signature.bin', '-in', 'resp.tsr', ...trust], work)
      expect(byData.output).toContain('Verification: OK')
      const byQuery = openssl(['ts', '-verify', '-queryfile', 'req.tsq', '-in', 'resp.tsr', ...trust], work)
      expect(byQuery.output).toContain('Verification: OK')
      writeFileSync(path.join(work, 'other.bin'), Buffer.from('not the signature'))
      const wrong = openssl(['ts', '-verify', '-data', 'other.bin', '-in', 'resp.tsr', ...trust], work)
      expect(wrong.output).toContain('Verification: FAILED')

      const cmsRun = await opensslCmsVerify(stamped, content)
      expect(cmsRun.output).toContain('Verification successful')
    })
  })
})
