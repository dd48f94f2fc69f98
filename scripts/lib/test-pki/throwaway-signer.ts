/**
 * Tests and the benchmark only: a self-signed RSA-2048 identity and a minimal detached CMS
 * (contentType + messageDigest). Not the production PAdES builder (src/pades/cms/).
 */
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import forge from 'node-forge'

const { asn1, pki } = forge
const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  testPolicy: '1.3.6.1.4.1.99999.1',
}

export interface ThrowawayIdentity {
  certificatePem: string
  certificateDer: Uint8Array
  privateKey: KeyObject
  /** Detached CMS SignedData over a SHA-256 digest of the signed bytes. */
  signDigest(sha256: Uint8Array): Uint8Array
  /** An RFC 3161 TimeStampToken over the digest, signed by this identity acting as a TSA. */
  timestampToken(sha256: Uint8Array, time?: Date): Uint8Array
}

/** `commonName` may be Vietnamese: encoded as UTF8String, as real Vietnamese certificates are. */
export function createThrowawayIdentity(commonName = 'Nguyễn Văn Thử'): ThrowawayIdentity {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const cert = pki.createCertificate()
  cert.publicKey = pki.publicKeyFromPem(keys.publicKey.export({ type: 'spki', format: 'pem' }).toString())
  cert.serialNumber = `01${Date.now().toString(16)}`
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000)
  const attrs = [
    { shortName: 'C', value: 'VN' },
    { shortName: 'O', value: 'Văn phòng thử nghiệm', valueTagClass: asn1.Type.UTF8 },
    { shortName: 'CN', value: commonName, valueTagClass: asn1.Type.UTF8 },
  ] as forge.pki.CertificateField[]
  cert.setSubject(attrs)
  cert.setIssuer(attrs)
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyCertSign: true },
  ])
  const pkcs1 = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  cert.sign(pki.privateKeyFromPem(pkcs1), forge.md.sha256.create())
  const certAsn1 = pki.certificateToAsn1(cert)
  const certificateDer = Buffer.from(asn1.toDer(certAsn1).getBytes(), 'binary')
  const privateKey = createPrivateKey(pkcs1)
  return {
    certificatePem: pki.certificateToPem(cert),
    certificateDer,
    privateKey,
    signDigest: (sha256) => buildSignedData(certAsn1, privateKey, { type: OID.data, digest: sha256 }),
    timestampToken: (sha256, time = new Date()) => {
      const tstInfo = asn1.toDer(tstInfoAsn1(sha256, time)).getBytes()
      const digest = createHash('sha256').update(Buffer.from(tstInfo, 'binary')).digest()
      return buildSignedData(certAsn1, privateKey, { type: OID.tstInfo, digest, content: tstInfo })
    },
  }
}

const seq = (value: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value)
const set = (value: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, value)
const oid = (id: string) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes())
const int = (n: number) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes())
const nul = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')
const octets = (bytes: Uint8Array) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, Buffer.from(bytes).toString('binary'))
const algorithm = (id: string) => seq([oid(id), nul()])
const attribute = (id: string, value: forge.asn1.Asn1) => seq([oid(id), set([value])])

function tstInfoAsn1(imprint: Uint8Array, time: Date): forge.asn1.Asn1 {
  const genTime = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.GENERALIZEDTIME,
    false,
    asn1.dateToGeneralizedTime(time),
  )
  return seq([
    int(1),
    oid(OID.testPolicy),
    seq([algorithm(OID.sha256), octets(imprint)]),
    int(time.getTime() % 1e9),
    genTime,
  ])
}

/** What the SignerInfo signs: detached data, or encapsulated content (a TSTInfo) with its digest. */
interface Encapsulated {
  type: string
  digest: Uint8Array
  /** DER as a forge binary string; absent = detached. */
  content?: string
}

function buildSignedData(certAsn1: forge.asn1.Asn1, key: KeyObject, encapsulated: Encapsulated): Uint8Array {
  const { type, digest, content } = encapsulated
  const tbs = (certAsn1.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[]
  // Issuer and serial straight from the certificate DER: avoids forge's re-encoding of UTF8 names.
  const [serial, issuer] = [tbs[1]!, tbs[3]!]
  const attributes = [attribute(OID.contentType, oid(type)), attribute(OID.messageDigest, octets(digest))]
  // The signature covers the attributes DER-encoded as a SET (tag 0x31), not as [0].
  const signedAttrsDer = Buffer.from(asn1.toDer(set(attributes)).getBytes(), 'binary')
  const signature = sign('sha256', signedAttrsDer, key)
  const signerInfo = seq([
    int(1),
    seq([issuer, serial]),
    algorithm(OID.sha256),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attributes),
    algorithm(OID.rsaEncryption),
    octets(signature),
  ])
  const signedData = seq([
    int(1),
    set([algorithm(OID.sha256)]),
    seq(
      content === undefined
        ? [oid(type)]
        : [
            oid(type),
            asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
              asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, content),
            ]),
          ],
    ),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [certAsn1]),
    set([signerInfo]),
  ])
  const contentInfo = seq([
    oid(OID.signedData),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData]),
  ])
  return Buffer.from(asn1.toDer(contentInfo).getBytes(), 'binary')
}
