/**
 * A small RFC 3161 timestamp authority on loopback for tests: answers a TimeStampReq with a TSTInfo
 * (genTime, serial, the request's imprint and nonce) signed with the test PKI's TSA certificate, with
 * ESS signing-certificate-v2 among the signed attributes. `fault` makes it misbehave on purpose.
 */
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { certInfo } from '../../src/pades/cms/certs.ts'
import { OID } from '../../src/pades/cms/oids.ts'
import {
  assembleSignedData,
  buildSignedAttributesDer,
  signWithKey,
} from '../../src/pades/cms/signed-data.ts'
import { encodeTimeStampResp, encodeTstInfo, parseTimeStampReq } from '../../src/pades/cms/tsp.ts'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'

export const TEST_TSA_POLICY = '1.3.6.1.4.1.99999.1.1'

export type TsaFault = 'wrong-nonce' | 'wrong-imprint' | 'rejection' | 'http-500' | 'hang'

export interface TestTsa {
  url: string
  /** Raw requests and replies, newest last (for openssl cross-checks). */
  exchanges: { request: Buffer; reply: Buffer }[]
  fault?: TsaFault
  close(): Promise<void>
}

export async function startTestTsa(tsa: IssuedCert, chain: IssuedCert[]): Promise<TestTsa> {
  let serial = 1000n
  const signer = certInfo(tsa.der)
  const chainInfo = chain.map((cert) => certInfo(cert.der))
  const state: TestTsa = { url: '', exchanges: [], close: async () => {} }
  const reply = (request: Buffer): Buffer => {
    if (state.fault === 'rejection') return encodeTimeStampResp({ status: 2, statusText: 'test TSA refuses' })
    const parsed = parseTimeStampReq(request)
    const tstInfo = encodeTstInfo({
      policy: parsed.policy ?? TEST_TSA_POLICY,
      hashAlgorithm: parsed.hashAlgorithm,
      hashedMessage:
        state.fault === 'wrong-imprint' ? Buffer.alloc(parsed.hashedMessage.length) : parsed.hashedMessage,
      serialNumber: serial++,
      genTime: new Date(),
      nonce: state.fault === 'wrong-nonce' && parsed.nonce !== undefined ? parsed.nonce + 1n : parsed.nonce,
    })
    const signedAttributesDer = buildSignedAttributesDer({
      contentType: OID.tstInfo,
      digest: createHash('sha256').update(tstInfo).digest(),
      signer,
    })
    const token = assembleSignedData({
      eContentType: OID.tstInfo,
      eContent: tstInfo,
      signedAttributesDer,
      signatureValue: signWithKey(signedAttributesDer, tsa.privateKey),
      signer,
      chain: parsed.certReq ? chainInfo : [],
    })
    return encodeTimeStampResp({ status: 0, token })
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (state.fault === 'hang') return
      if (state.fault === 'http-500' || req.headers['content-type'] !== 'application/timestamp-query') {
        res.writeHead(state.fault === 'http-500' ? 500 : 415).end()
        return
      }
      const request = Buffer.concat(chunks)
      const body = reply(request)
      state.exchanges.push({ request, reply: body })
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return state
}
