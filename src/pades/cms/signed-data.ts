/**
 * A CMS SignedData (RFC 5652) with one signer, assembled with forge.asn1 from parts that may come from
 * elsewhere: the signature value can be made by a USB token or a remote service over the DER of the
 * signed attributes. Serves PAdES signatures (detached, id-data) and RFC 3161 tokens (TSTInfo inside).
 */
import { constants, createPrivateKey, type KeyObject, sign } from 'node:crypto'
import { type CertInfo, issuerAndSerial } from './certs.ts'
import {
  type Asn1,
  algorithm,
  asn1,
  Class,
  children,
  contextTag,
  decode,
  encode,
  nullValue,
  octets,
  oid,
  seq,
  setOf,
  smallInt,
  Type,
} from './der.ts'
import { signingCertificateV2 } from './ess.ts'
import { OID } from './oids.ts'

/** RSA PKCS#1 v1.5 with SHA-256 (what tokens do), or RSA-PSS with SHA-256, MGF1-SHA-256, salt 32. */
export type SignatureScheme = 'rsa-pkcs1' | 'rsa-pss'

/** An attribute whose values are given as DER, e.g. a signature timestamp token. */
export interface RawAttribute {
  type: string
  values: Uint8Array[]
}

export const attribute = (type: string, values: Asn1[]) => seq(oid(type), setOf(values))

/**
 * DER of the SET OF signed attributes: content-type, message-digest, signing-certificate-v2 (no
 * signing-time: PAdES takes the time from the /M entry or a timestamp). These bytes are what is signed.
 */
export function buildSignedAttributesDer(input: {
  contentType: string
  digest: Uint8Array
  signer: CertInfo
  extra?: Asn1[]
}): Buffer {
  return encode(
    setOf([
      attribute(OID.contentType, [oid(input.contentType)]),
      attribute(OID.messageDigest, [octets(input.digest)]),
      attribute(OID.signingCertificateV2, [signingCertificateV2(input.signer)]),
      ...(input.extra ?? []),
    ]),
  )
}

export interface SignedDataParts {
  eContentType: string
  /** Omitted for a detached signature. */
  eContent?: Uint8Array
  signedAttributesDer: Uint8Array
  signatureValue: Uint8Array
  scheme?: SignatureScheme
  signer: CertInfo
  chain?: CertInfo[]
  unsignedAttributes?: RawAttribute[]
}

/** ContentInfo { signedData } as DER. SHA-256 is the only digest algorithm it writes. */
export function assembleSignedData(parts: SignedDataParts): Buffer {
  const signerInfo = seq(
    smallInt(1),
    issuerAndSerial(parts.signer),
    algorithm(OID.sha256),
    implicitSignedAttributes(parts.signedAttributesDer),
    signatureAlgorithm(parts.scheme ?? 'rsa-pkcs1'),
    octets(parts.signatureValue),
    ...unsignedAttributes(parts.unsignedAttributes ?? []),
  )
  const certs = [parts.signer, ...(parts.chain ?? []).filter((cert) => !cert.der.equals(parts.signer.der))]
  const encapsulated = parts.eContent
    ? seq(oid(parts.eContentType), contextTag(0, true, [octets(parts.eContent)]))
    : seq(oid(parts.eContentType))
  const signedData = seq(
    smallInt(parts.eContentType === OID.data ? 1 : 3),
    set([algorithm(OID.sha256)]),
    encapsulated,
    contextTag(0, true, certs.map(verbatim)),
    set([signerInfo]),
  )
  return encode(seq(oid(OID.signedData), contextTag(0, true, [signedData])))
}

/** Signs `data` (the signed-attributes DER) with a Node key. */
export function signWithKey(
  data: Uint8Array,
  privateKey: KeyObject | string,
  scheme: SignatureScheme = 'rsa-pkcs1',
) {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey
  if (scheme === 'rsa-pss') {
    return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
  }
  return sign('sha256', data, key)
}

export function signatureAlgorithm(scheme: SignatureScheme): Asn1 {
  if (scheme === 'rsa-pkcs1') return algorithm(OID.rsaEncryption, nullValue())
  const sha256 = algorithm(OID.sha256)
  return algorithm(
    OID.rsassaPss,
    seq(
      contextTag(0, true, [sha256]),
      contextTag(1, true, [seq(oid(OID.mgf1), sha256)]),
      contextTag(2, true, [smallInt(32)]),
    ),
  )
}

const set = (members: Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SET, true, members)

/** The signer signed these exact bytes, so they must already be DER (re-encoding must not change them). */
function implicitSignedAttributes(der: Uint8Array): Asn1 {
  const node = decode(der)
  if (der[0] !== 0x31 || !encode(node).equals(Buffer.from(der))) {
    throw new Error('signed attributes must be the DER encoding of a SET OF Attribute')
  }
  node.tagClass = Class.CONTEXT_SPECIFIC
  node.type = 0
  return node
}

function unsignedAttributes(attributes: RawAttribute[]): Asn1[] {
  if (attributes.length === 0) return []
  const node = setOf(attributes.map((entry) => attribute(entry.type, entry.values.map(decode))))
  node.tagClass = Class.CONTEXT_SPECIFIC
  node.type = 1
  return [node]
}

/** A certificate node that re-encodes to its original bytes (else its signature would break). */
function verbatim(cert: CertInfo): Asn1 {
  const node = decode(cert.der)
  if (!encode(node).equals(cert.der)) throw new Error('certificate is not DER-encoded')
  return node
}

/**
 * Adds an unsigned attribute to the SignerInfo of a CMS (e.g. a timestamp after signing). Only the
 * unsigned part changes; the rest re-encodes to the same DER, so the signature stays valid.
 */
export function withUnsignedAttribute(cms: Uint8Array, extra: RawAttribute): Buffer {
  const root = decode(cms)
  const signedData = children(children(children(root)[1])[0])
  const signer = children(children(signedData.at(-1))[0]) // the same arrays: pushing edits the tree
  if (signer.length === 0) throw new Error('CMS: no SignerInfo')
  const last = signer[signer.length - 1]!
  const added = attribute(extra.type, extra.values.map(decode))
  if (last.tagClass === Class.CONTEXT_SPECIFIC && last.type === 1) (last.value as Asn1[]).push(added)
  else signer.push(...unsignedAttributes([extra]))
  return encode(root)
}
