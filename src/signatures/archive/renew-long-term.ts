/**
 * Keeping signatures verifiable for as long as the record is kept (PAdES B-LTA, ETSI EN 319 142-1 §5.5):
 * every certificate in the file — signers, their CAs, the TSAs of signature and document timestamps —
 * gets current revocation data in a new DSS update, and a new document timestamp then covers it all. The
 * previous timestamp's TSA certificate may expire or its algorithms weaken: the new timestamp proves the
 * older material existed while it was still good. Both are incremental updates; earlier bytes stay.
 */
import { X509Certificate } from 'node:crypto'
import { PDFHexString, PDFName, PDFString } from 'pdf-lib'
import { encode } from '../../pades/cms/der.ts'
import { OID } from '../../pades/cms/oids.ts'
import { cmsFromContents, findAttribute, parseCms } from '../../pades/cms/parse-cms.ts'
import { requestTimestamp, type TsaOptions } from '../timestamping/tsa-client.ts'
import { appendDss, embedSignature, prepareDocumentTimestamp } from '../../pades/pdf/index.ts'
import { readDss, readPdf, signatureFields } from '../../pades/verify/pdf-structure.ts'
import type { FetchedRevocation, RevocationFetcher } from '../../pades/verify/verify-pdf.ts'
import { buildChain } from '../../pades/x509/x509.ts'

const TIME_STAMPING = '1.3.6.1.5.5.7.3.8'

export interface RenewalOptions {
  tsa: TsaOptions
  trustAnchors: X509Certificate[]
  fetchRevocation: RevocationFetcher
}

export interface Renewal {
  bytes: Uint8Array
  /** Certificates whose revocation data was fetched now. */
  certificatesChecked: number
  crls: number
  ocsps: number
  /** When the TSA certificate of the new document timestamp expires: when the next renewal is due. */
  renewBy: Date | undefined
}

/** Throws TimestampError when the TSA fails: nothing is stored then. */
export async function renewLongTerm(bytes: Uint8Array, options: RenewalOptions): Promise<Renewal> {
  const pool = await validationCertificates(bytes)
  const fetched: FetchedRevocation = { crls: [], ocsps: [] }
  let certificatesChecked = 0
  for (const cert of pool) {
    if (cert.checkIssued(cert)) continue
    // Only chains the agency trusts make this server fetch the URLs their certificates name.
    if (!buildChain(cert, pool, options.trustAnchors).trusted) continue
    const issuer = [...pool, ...options.trustAnchors].find(
      (candidate) => cert.checkIssued(candidate) && cert.verify(candidate.publicKey),
    )
    if (!issuer) continue
    const found = await options.fetchRevocation(cert, issuer)
    if (found.crls.length + found.ocsps.length > 0) certificatesChecked++
    fetched.crls.push(...found.crls)
    fetched.ocsps.push(...found.ocsps)
  }
  const withDss = await appendDss(bytes, {
    certs: pool.map((cert) => cert.raw),
    crls: fetched.crls,
    ocsps: fetched.ocsps,
  })
  const prepared = await prepareDocumentTimestamp(withDss)
  const { token } = await requestTimestamp(prepared.signedBytes(), options.tsa)
  const tokenCerts = parseCms(token).certificates.map((der) => new X509Certificate(der))
  const tsaCert = tokenCerts.find((cert) => cert.keyUsage?.includes(TIME_STAMPING)) ?? tokenCerts[0]
  return {
    bytes: embedSignature(prepared, token),
    certificatesChecked,
    crls: fetched.crls.length,
    ocsps: fetched.ocsps.length,
    renewBy: tsaCert ? new Date(tsaCert.validTo) : undefined,
  }
}

/** Every certificate a verifier of this PDF needs: from each signature's CMS, its timestamps and the DSS. */
export async function validationCertificates(bytes: Uint8Array): Promise<X509Certificate[]> {
  const structure = await readPdf(bytes)
  const ders: Uint8Array[] = [...readDss(structure).certs]
  for (const { value } of signatureFields(structure)) {
    const contents = value.get(PDFName.of('Contents'))
    if (!(contents instanceof PDFHexString || contents instanceof PDFString)) continue
    try {
      const cms = parseCms(cmsFromContents(contents.asBytes()))
      ders.push(...cms.certificates)
      for (const signer of cms.signerInfos)
        for (const token of findAttribute(signer.unsignedAttributes, OID.signatureTimeStampToken) ?? [])
          ders.push(...parseCms(encode(token)).certificates)
    } catch {
      // A signature that cannot be read brings no certificates; the verifier reports it.
    }
  }
  const seen = new Set<string>()
  return ders.flatMap((der) => {
    try {
      const cert = new X509Certificate(der)
      if (seen.has(cert.fingerprint256)) return []
      seen.add(cert.fingerprint256)
      return [cert]
    } catch {
      return []
    }
  })
}
