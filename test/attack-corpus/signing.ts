/**
 * Signing tools for the attack corpus: PAdES signatures with the test PKI (or attack certificates),
 * certification with DocMDP, RFC 3161 tokens made in-process with a chosen genTime, SHA-1 CMS for the
 * algorithm-policy class. Test material only.
 */
import { createHash, type KeyObject, sign as cryptoSign } from 'node:crypto'
import { certInfo, issuerAndSerial } from '../../src/pades/cms/certs.ts'
import {
  algorithm,
  contextTag,
  decode,
  encode,
  octets,
  oid,
  seq,
  setOf,
  smallInt,
} from '../../src/pades/cms/der.ts'
import { OID } from '../../src/pades/cms/oids.ts'
import { signDigest } from '../../src/pades/cms/pades-cms.ts'
import {
  assembleSignedData,
  attribute,
  buildSignedAttributesDer,
  signatureAlgorithm,
  signWithKey,
} from '../../src/pades/cms/signed-data.ts'
import { signingCertificateV2 } from '../../src/pades/cms/ess.ts'
import { encodeTstInfo } from '../../src/pades/cms/tsp.ts'
import type { DocMdpPermission } from '../../src/pades/pdf/doc-mdp.ts'
import {
  embedSignature,
  prepareDocumentTimestamp,
  prepareSignature,
  type PrepareSignatureOptions,
  type SignatureAppearance,
} from '../../src/pades/pdf/index.ts'
import { timestampAttribute } from '../../src/signatures/timestamping/tsa-client.ts'

/** A certificate with its key, as the test PKI issues them. */
export interface SigningIdentity {
  certPem: string
  der: Uint8Array
  privateKey: KeyObject
}

export interface SignOptions {
  /** Certification signature with this DocMDP permission. */
  certify?: DocMdpPermission
  /** An existing (template) signature field to sign into. */
  fieldName?: string
  /** Visible: a plain blue box as the appearance. */
  visible?: boolean
  signingTime?: Date
  name?: string
  location?: string
  /** SHA-1 instead of SHA-256 (weak algorithm class). */
  digest?: 'sha256' | 'sha1'
  /** A signature timestamp by this TSA at this time. */
  timestamp?: { tsa: SigningIdentity; chain: Uint8Array[]; genTime: Date }
}

export interface PreparedForAttack {
  prepared: Awaited<ReturnType<typeof prepareSignature>>
  /** Signs the prepared bytes (after any tampering of the unsigned placeholder). */
  finish(): Uint8Array
}

/** A box 150 x 50 at the bottom left of the page, drawn in blue. */
export const boxAppearance = (
  rect: [number, number, number, number] = [60, 60, 210, 110],
): SignatureAppearance => ({
  rect,
  build: ({ context, width, height }) =>
    context.stream(`0 0 1 rg 0 0 ${width} ${height} re f`, {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, width, height],
    }),
})

export async function signPdf(
  bytes: Uint8Array,
  who: SigningIdentity,
  chain: Uint8Array[],
  options: SignOptions = {},
): Promise<Uint8Array> {
  return (await prepareForAttack(bytes, who, chain, options)).finish()
}

export async function prepareForAttack(
  bytes: Uint8Array,
  who: SigningIdentity,
  chain: Uint8Array[],
  options: SignOptions = {},
): Promise<PreparedForAttack> {
  const prepareOptions: PrepareSignatureOptions = {
    name: options.name ?? 'Nguyễn Văn An',
    reason: 'Phê duyệt',
    location: options.location ?? 'Hòa Giang',
    ...(options.signingTime ? { signingTime: options.signingTime } : {}),
    ...(options.certify ? { certify: options.certify } : {}),
    ...(options.fieldName ? { fieldName: options.fieldName } : {}),
    ...(options.visible ? { appearance: boxAppearance() } : {}),
  }
  const prepared = await prepareSignature(bytes, prepareOptions)
  const finish = () => {
    const cms = options.timestamp
      ? timestampedCms(who, chain, prepared.digest(), options.timestamp)
      : options.digest === 'sha1'
        ? sha1Cms(prepared.digest('sha1'), who, chain)
        : signDigest({
            digest: prepared.digest(),
            privateKey: who.privateKey,
            signerCert: who.certPem,
            chain,
          })
    return embedSignature(prepared, cms)
  }
  return { prepared, finish }
}

/** The CMS with a signature timestamp token (over its signature value) as unsigned attribute. */
function timestampedCms(
  who: SigningIdentity,
  chain: Uint8Array[],
  digest: Uint8Array,
  ts: NonNullable<SignOptions['timestamp']>,
): Uint8Array {
  const signer = certInfo(who.certPem)
  const signedAttributesDer = buildSignedAttributesDer({ contentType: OID.data, digest, signer })
  const signatureValue = signWithKey(signedAttributesDer, who.privateKey)
  const token = timestampToken(signatureValue, ts.tsa, ts.chain, ts.genTime)
  return assembleSignedData({
    eContentType: OID.data,
    signedAttributesDer,
    signatureValue,
    signer,
    chain: chain.map((der) => certInfo(der)),
    unsignedAttributes: [timestampAttribute(token)],
  })
}

let tokenSerial = 5000n

/** An RFC 3161 TimeStampToken over `data` (SHA-256 imprint) at `genTime`, signed by `tsa`. */
export function timestampToken(
  data: Uint8Array,
  tsa: SigningIdentity,
  chain: Uint8Array[],
  genTime: Date,
  imprint: Uint8Array = createHash('sha256').update(data).digest(),
): Buffer {
  const tstInfo = encodeTstInfo({
    policy: '1.3.6.1.4.1.99999.1.1',
    hashAlgorithm: OID.sha256,
    hashedMessage: Buffer.from(imprint),
    serialNumber: tokenSerial++,
    genTime,
  })
  const signer = certInfo(tsa.certPem)
  const signedAttributesDer = buildSignedAttributesDer({
    contentType: OID.tstInfo,
    digest: createHash('sha256').update(tstInfo).digest(),
    signer,
  })
  return assembleSignedData({
    eContentType: OID.tstInfo,
    eContent: tstInfo,
    signedAttributesDer,
    signatureValue: signWithKey(signedAttributesDer, tsa.privateKey),
    signer,
    chain: chain.map((der) => certInfo(der)),
  })
}

/** Appends a document timestamp (PAdES B-LTA) made at `genTime`. */
export async function addDocumentTimestamp(
  bytes: Uint8Array,
  tsa: SigningIdentity,
  chain: Uint8Array[],
  genTime = new Date(),
): Promise<Uint8Array> {
  const prepared = await prepareDocumentTimestamp(bytes)
  return embedSignature(prepared, timestampToken(new Uint8Array(), tsa, chain, genTime, prepared.digest()))
}

/** A detached CMS whose digest and signature use SHA-1 (rejected by the algorithm policy). */
function sha1Cms(digest: Uint8Array, who: SigningIdentity, chain: Uint8Array[]): Buffer {
  const signer = certInfo(who.certPem)
  const attributes = setOf([
    attribute(OID.contentType, [oid(OID.data)]),
    attribute(OID.messageDigest, [octets(digest)]),
    attribute(OID.signingCertificateV2, [signingCertificateV2(signer)]),
  ])
  const attributesDer = encode(attributes)
  const signatureValue = cryptoSign('sha1', attributesDer, who.privateKey)
  const implicit = Buffer.from(attributesDer)
  implicit[0] = 0xa0
  const signerInfo = seq(
    smallInt(1),
    issuerAndSerial(signer),
    algorithm(OID.sha1),
    rawNode(implicit),
    signatureAlgorithm('rsa-pkcs1'),
    octets(signatureValue),
  )
  const certs = [signer.der, ...chain.map((der) => Buffer.from(der))]
  const signedData = seq(
    smallInt(1),
    setOf([algorithm(OID.sha1)]),
    seq(oid(OID.data)),
    contextTag(
      0,
      true,
      certs.map((der) => rawNode(der)),
    ),
    setOf([signerInfo]),
  )
  return encode(seq(oid(OID.signedData), contextTag(0, true, [signedData])))
}

const rawNode = (der: Uint8Array) => decode(der)
