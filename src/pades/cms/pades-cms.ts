/**
 * The CMS of a PAdES signature (SubFilter ETSI.CAdES.detached) over the SHA-256 digest of the PDF's
 * byte ranges. Two steps for keys that never leave a USB token or a remote signing service:
 * buildSignedAttributes gives the bytes to sign, assembleCms wraps the signature value. signDigest does
 * both with a key held here.
 */
import type { KeyObject } from 'node:crypto'
import { type CertificateInput, certInfo } from './certs.ts'
import { OID } from './oids.ts'
import {
  assembleSignedData,
  buildSignedAttributesDer,
  type RawAttribute,
  type SignatureScheme,
  signWithKey,
} from './signed-data.ts'

export type { RawAttribute, SignatureScheme }

/** DER of the SET OF signed attributes (tag 0x31): what the external signer signs with SHA-256. */
export function buildSignedAttributes(input: { digest: Uint8Array; signerCert: CertificateInput }): Buffer {
  if (input.digest.length !== 32) throw new Error('digest must be a SHA-256 digest (32 bytes)')
  return buildSignedAttributesDer({
    contentType: OID.data,
    digest: input.digest,
    signer: certInfo(input.signerCert),
  })
}

export interface AssembleCmsInput {
  signedAttributesDer: Uint8Array
  signatureValue: Uint8Array
  signerCert: CertificateInput
  /** Intermediate (and optionally root) certificates, written after the signer's. */
  chain?: CertificateInput[]
  /** e.g. the signature timestamp token (timestampAttribute in timestamp.ts). */
  unsignedAttributes?: RawAttribute[]
  scheme?: SignatureScheme
}

/** The DER ContentInfo to place in /Contents. */
export function assembleCms(input: AssembleCmsInput): Buffer {
  return assembleSignedData({
    eContentType: OID.data,
    signedAttributesDer: input.signedAttributesDer,
    signatureValue: input.signatureValue,
    scheme: input.scheme,
    signer: certInfo(input.signerCert),
    chain: (input.chain ?? []).map(certInfo),
    unsignedAttributes: input.unsignedAttributes,
  })
}

export interface SignDigestInput {
  digest: Uint8Array
  /** A Node KeyObject or a PEM private key. */
  privateKey: KeyObject | string
  signerCert: CertificateInput
  chain?: CertificateInput[]
  scheme?: SignatureScheme
  unsignedAttributes?: RawAttribute[]
}

export function signDigest(input: SignDigestInput): Buffer {
  const signedAttributesDer = buildSignedAttributes(input)
  const signatureValue = signWithKey(signedAttributesDer, input.privateKey, input.scheme)
  return assembleCms({ ...input, signedAttributesDer, signatureValue })
}
