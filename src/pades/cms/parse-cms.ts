/**
 * Reads a CMS SignedData (RFC 5652) into plain parts for verification: certificates, encapsulated
 * content and each SignerInfo with its signed attributes re-encoded as the SET OF that was signed.
 */
import {
  type Asn1,
  bytesOf,
  children,
  decode,
  encode,
  integerOf,
  isContext,
  oidOf,
  Class,
  Type,
} from './der.ts'
import { OID } from './oids.ts'

export interface ParsedAttribute {
  type: string
  values: Asn1[]
}

export interface ParsedSignerInfo {
  version: number
  /** issuerAndSerialNumber (DER of the Name and of the INTEGER) or subjectKeyIdentifier. */
  sid: { issuerDer: Buffer; serialDer: Buffer } | { subjectKeyId: Buffer }
  digestAlgorithm: string
  /** DER of the signed attributes with the SET OF tag (0x31): the bytes the signature covers. */
  signedAttributesDer?: Buffer
  signedAttributes: ParsedAttribute[]
  signatureAlgorithm: { oid: string; params?: Asn1 }
  signature: Buffer
  unsignedAttributes: ParsedAttribute[]
}

export interface ParsedSignedData {
  eContentType: string
  /** Absent for a detached signature. */
  eContent?: Buffer
  certificates: Buffer[]
  signerInfos: ParsedSignerInfo[]
}

export class CmsFormatError extends Error {}

/** The DER of a CMS from a PDF /Contents value (bytes or hex), without the zero padding after it. */
export function cmsFromContents(contents: Uint8Array | string): Buffer {
  const bytes =
    typeof contents === 'string' ? Buffer.from(contents.replace(/[\s<>]/g, ''), 'hex') : Buffer.from(contents)
  // The outer SEQUENCE's length says where the CMS ends; trailing zeros alone could be part of it.
  const end = outerLength(bytes)
  if (end > bytes.length || bytes.subarray(end).some((byte) => byte !== 0)) {
    throw new CmsFormatError('contents: not a DER value followed by zero padding')
  }
  return bytes.subarray(0, end)
}

export function parseCms(der: Uint8Array): ParsedSignedData {
  let root: Asn1
  try {
    root = decode(der)
  } catch (error) {
    throw new CmsFormatError(`CMS: not ASN.1 (${(error as Error).message})`)
  }
  const [contentType, wrapped] = children(root)
  if (oidOf(contentType) !== OID.signedData || !isContext(wrapped, 0))
    throw new CmsFormatError('CMS: not SignedData')
  const fields = children(children(wrapped)[0])
  const [eContentType, eContent] = children(fields[2])
  const certificates = children(fields.find((field) => isContext(field, 0))).filter(
    (cert) => cert.tagClass === Class.UNIVERSAL && cert.type === Type.SEQUENCE,
  )
  const signerInfos = children(fields[fields.length - 1])
  if (signerInfos.length === 0) throw new CmsFormatError('CMS: no SignerInfo')
  return {
    eContentType: oidOf(eContentType) ?? '',
    eContent: eContent ? bytesOf(children(eContent)[0]) : undefined,
    certificates: certificates.map(encode),
    signerInfos: signerInfos.map(parseSignerInfo),
  }
}

export function findAttribute(attributes: ParsedAttribute[], type: string): Asn1[] | undefined {
  return attributes.find((entry) => entry.type === type)?.values
}

function parseSignerInfo(node: Asn1): ParsedSignerInfo {
  const fields = children(node)
  const [version, sid, digestAlgorithm] = fields
  let at = 3
  const signedAttrs = isContext(fields[at], 0) ? fields[at++] : undefined
  const signatureAlgorithm = children(fields[at++])
  const signature = bytesOf(fields[at++])
  const unsignedAttrs = isContext(fields[at], 1) ? fields[at] : undefined
  if (!sid || signatureAlgorithm.length === 0) throw new CmsFormatError('CMS: incomplete SignerInfo')
  return {
    version: Number(integerOf(version)),
    sid: isContext(sid, 0)
      ? { subjectKeyId: bytesOf(sid) }
      : { issuerDer: encode(children(sid)[0]!), serialDer: encode(children(sid)[1]!) },
    digestAlgorithm: oidOf(children(digestAlgorithm)[0]) ?? '',
    signedAttributesDer: signedAttrs
      ? encode({ ...signedAttrs, tagClass: Class.UNIVERSAL, type: Type.SET })
      : undefined,
    signedAttributes: attributes(signedAttrs),
    signatureAlgorithm: { oid: oidOf(signatureAlgorithm[0]) ?? '', params: signatureAlgorithm[1] },
    signature,
    unsignedAttributes: attributes(unsignedAttrs),
  }
}

function attributes(node: Asn1 | undefined): ParsedAttribute[] {
  return children(node).map((entry) => {
    const [type, values] = children(entry)
    return { type: oidOf(type) ?? '', values: children(values) }
  })
}

function outerLength(bytes: Buffer): number {
  if (bytes.length < 2 || bytes[0] !== 0x30) throw new CmsFormatError('contents: no SEQUENCE')
  const first = bytes[1]!
  if (first < 0x80) return 2 + first
  const count = first & 0x7f
  if (count === 0 || count > 4 || bytes.length < 2 + count) throw new CmsFormatError('contents: bad length')
  return 2 + count + bytes.subarray(2, 2 + count).readUIntBE(0, count)
}
