import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inflateSync } from 'node:zlib'
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFRawStream, type PDFRef } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { digestByteRange } from '../../src/pades/pdf/byte-range.ts'
import { appendDss } from '../../src/pades/pdf/dss.ts'
import {
  embedSignature,
  prepareDocumentTimestamp,
  prepareSignature,
} from '../../src/pades/pdf/signature-placeholder.ts'
import {
  createThrowawayIdentity,
  type ThrowawayIdentity,
} from '../../scripts/lib/test-pki/throwaway-signer.ts'

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus/docs')
const has = (tool: string, arg = '-v') => spawnSync(tool, [arg], { stdio: 'ignore' }).error === undefined
const peersPresent = has('pdfsig') && has('qpdf') && has('openssl', 'version')

let dir = ''
let signer: ThrowawayIdentity
let tsa: ThrowawayIdentity
let signed: Uint8Array

const run = (tool: string, args: string[]) => {
  const result = spawnSync(tool, args, { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } })
  return result.stdout + result.stderr
}

function expectEarlierSignatureIntact(bytes: Uint8Array, name: string) {
  const file = path.join(dir, name)
  writeFileSync(file, bytes)
  expect(Buffer.compare(bytes.subarray(0, signed.length), signed)).toBe(0)
  expect(run('pdfsig', [file])).toMatch(/Signature #1:[\s\S]*?Signature Validation: Signature is Valid\./)
  const check = run('qpdf', ['--check', file])
  expect(check).toContain('No syntax or stream encoding errors found')
  expect(check).not.toMatch(/WARNING/)
}

async function dssStreams(bytes: Uint8Array, key: string): Promise<Buffer[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false })
  const dss = doc.catalog.lookup(PDFName.of('DSS'), PDFDict)
  return dss
    .lookup(PDFName.of(key), PDFArray)
    .asArray()
    .map((ref) => inflateSync((doc.context.lookup(ref as PDFRef) as PDFRawStream).contents))
}

describe.skipIf(!peersPresent)('long-term validation material (PAdES B-LT / B-LTA)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sig-pdf-ltv-'))
    signer = createThrowawayIdentity('Trần Thị Ký')
    tsa = createThrowawayIdentity('Máy chủ cấp dấu thời gian thử')
    const prepared = await prepareSignature(readFileSync(path.join(CORPUS, '001.pdf')), {
      name: 'Trần Thị Ký',
    })
    signed = embedSignature(prepared, signer.signDigest(prepared.digest()))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('GIVEN a signed PDF WHEN certificates go into the DSS in two updates THEN each is stored once and the signature stays valid', async () => {
    const once = await appendDss(signed, { certs: [signer.certificateDer, signer.certificateDer] })
    expectEarlierSignatureIntact(once, 'dss-1.pdf')
    expect(await dssStreams(once, 'Certs')).toEqual([Buffer.from(signer.certificateDer)])

    const twice = await appendDss(once, {
      certs: [signer.certificateDer, tsa.certificateDer],
      ocsps: [Uint8Array.of(0x30, 0x00)],
    })
    expect(Buffer.compare(twice.subarray(0, once.length), once)).toBe(0)
    expectEarlierSignatureIntact(twice, 'dss-2.pdf')
    const certs = await dssStreams(twice, 'Certs')
    expect(certs).toEqual([Buffer.from(signer.certificateDer), Buffer.from(tsa.certificateDer)])
    expect(await dssStreams(twice, 'OCSPs')).toEqual([Buffer.from([0x30, 0x00])])
  })

  it('GIVEN a signed PDF with a DSS WHEN a document timestamp is added THEN the token covers the byte range and the signature stays valid', async () => {
    const withDss = await appendDss(signed, { certs: [signer.certificateDer, tsa.certificateDer] })
    const prepared = await prepareDocumentTimestamp(withDss)
    const digest = prepared.digest()
    const stamped = embedSignature(prepared, tsa.timestampToken(digest))
    expectEarlierSignatureIntact(stamped, 'doc-timestamp.pdf')

    const doc = await PDFDocument.load(stamped, { updateMetadata: false })
    const stamp = doc.context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .find(
        (o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('DocTimeStamp'),
      )!
    expect(stamp.get(PDFName.of('SubFilter'))).toBe(PDFName.of('ETSI.RFC3161'))
    expect(digestByteRange(stamped, prepared.byteRange)).toEqual(digest)

    // poppler 22.12 cannot verify RFC 3161 signatures: openssl checks the token and yields its TSTInfo.
    const token = path.join(dir, 'token.der')
    const tstInfo = path.join(dir, 'tstinfo.der')
    const hex = Buffer.from(
      stamped.subarray(prepared.contentsOffset + 1, prepared.byteRange[2] - 1),
    ).toString('latin1')
    writeFileSync(token, Buffer.from(hex, 'hex'))
    const verify = run('openssl', [
      'cms',
      '-verify',
      '-noverify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      token,
      '-out',
      tstInfo,
    ])
    expect(verify).toContain('Verification successful')
    expect(readFileSync(tstInfo).includes(digest)).toBe(true)
  })
})
