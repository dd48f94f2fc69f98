/**
 * PAdES levels of a flow signature beyond B-B, as configured: a signature timestamp from the TSA (B-T;
 * a TSA failure refuses the signature: 503 tsa-unavailable, nothing stored), then — when SIGNING_LTV is
 * on and revocation data (OCSP responses or CRLs) for the signer's chain, one the agency trusts, can be
 * fetched — a DSS with the certificates and that data (B-LT) and a document timestamp over it (B-LTA). Missing revocation data leaves the signature at B-T; a failed
 * document timestamp leaves it at B-LT. Each step is an incremental update after the signature.
 */
import { X509Certificate } from 'node:crypto'
import type { SigningConfig } from '../../platform/config.ts'
import { AppError } from '../../platform/errors.ts'
import { parseCms } from '../../pades/cms/parse-cms.ts'
import { withUnsignedAttribute } from '../../pades/cms/signed-data.ts'
import { requestTimestamp, TimestampError, type TsaOptions, timestampAttribute } from '../timestamping/tsa-client.ts'
import {
  appendDss,
  concatBytes,
  embedSignatureInChunks,
  type PdfChunks,
  prepareDocumentTimestamp,
} from '../../pades/pdf/index.ts'
import type { FetchedRevocation, RevocationFetcher } from '../../pades/verify/verify-pdf.ts'
import { buildChain } from '../../pades/x509/x509.ts'
import { onceEach, onlineRevocation } from '../revocation/online-revocation.ts'

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA'

export interface SigningPolicy {
  tsa: TsaOptions | undefined
  ltv: boolean
  fetchRevocation: RevocationFetcher
}

export function signingPolicy(config: SigningConfig): SigningPolicy {
  return {
    tsa: config.tsaUrl ? { url: config.tsaUrl, timeoutMs: config.tsaTimeoutMs } : undefined,
    ltv: config.ltv && config.tsaUrl !== undefined,
    fetchRevocation: onlineRevocation(config.revocationTimeoutMs),
  }
}

export interface TimestampedCms {
  cms: Buffer
  /** The TSA's certificates from the token (for the DSS). */
  tsaCerts: X509Certificate[]
}

/** Adds the signature timestamp (B-T) when a TSA is configured. */
export async function timestampSignature(cms: Buffer, policy: SigningPolicy): Promise<TimestampedCms> {
  if (!policy.tsa) return { cms, tsaCerts: [] }
  const signerInfo = parseCms(cms).signerInfos[0]
  if (!signerInfo) throw new Error('CMS: no SignerInfo')
  const { token } = await timestamp(signerInfo.signature, policy.tsa)
  return {
    cms: withUnsignedAttribute(cms, timestampAttribute(token)),
    tsaCerts: parseCms(token).certificates.flatMap((der) => certificate(der) ?? []),
  }
}

async function timestamp(data: Uint8Array, tsa: TsaOptions) {
  try {
    return await requestTimestamp(data, tsa)
  } catch (cause) {
    if (!(cause instanceof TimestampError)) throw cause
    throw new AppError('tsa-unavailable', {
      cause,
      detail: `Máy chủ cấp dấu thời gian: ${cause.code}. / Timestamp authority: ${cause.code}.`,
    })
  }
}

/**
 * After the timestamped signature is embedded: DSS and document timestamp when possible. `signerChain`
 * is the signer's certificate first, then its issuers. The file comes and goes as chunks: without
 * long-term material it is not copied.
 */
export async function extendLongTerm(
  signed: PdfChunks,
  input: { signerChain: X509Certificate[]; tsaCerts: X509Certificate[]; trustAnchors: X509Certificate[] },
  policy: SigningPolicy,
): Promise<{ chunks: PdfChunks; level: PadesLevel }> {
  if (!policy.tsa) return { chunks: signed, level: 'B-B' }
  if (!policy.ltv) return { chunks: signed, level: 'B-T' }
  const pool = unique([...input.signerChain, ...input.tsaCerts])
  // Distribution points are fetched only from certificates of chains the agency trusts: a certificate
  // anyone can make (two-step signing takes one from the client) must not send this server to any URL.
  const trusted = (cert: X509Certificate) => buildChain(cert, pool, input.trustAnchors).trusted
  const [signer] = input.signerChain
  if (!signer || !trusted(signer)) return { chunks: signed, level: 'B-T' }
  // The signer's and the TSA's chains often share CAs: each status is asked once.
  const fetchRevocation = onceEach(policy.fetchRevocation)
  const signerData = await revocationData(input.signerChain, pool, fetchRevocation)
  if (!signerData) return { chunks: signed, level: 'B-T' }
  // The TSA's chain is best effort: it usually shares the signer's CAs and CRLs.
  const tsaData = (await revocationData(input.tsaCerts.filter(trusted), pool, fetchRevocation, false)) ?? {
    crls: [],
    ocsps: [],
  }
  const withDss = await appendDss(concatBytes(signed), {
    certs: pool.map((cert) => cert.raw),
    crls: [...signerData.crls, ...tsaData.crls],
    ocsps: [...signerData.ocsps, ...tsaData.ocsps],
  })
  try {
    const prepared = await prepareDocumentTimestamp(withDss)
    const { token } = await requestTimestamp(prepared.signedBytes(), policy.tsa)
    return { chunks: embedSignatureInChunks(prepared, token), level: 'B-LTA' }
  } catch (error) {
    if (!(error instanceof TimestampError)) throw error
    return { chunks: [withDss], level: 'B-LT' }
  }
}

/**
 * OCSP responses or CRLs for every certificate of `chain` but self-signed roots; undefined when
 * `strict` and one of them has none (unknown issuer, no responder or distribution point, unreachable).
 */
async function revocationData(
  chain: X509Certificate[],
  pool: X509Certificate[],
  fetch: RevocationFetcher,
  strict = true,
): Promise<FetchedRevocation | undefined> {
  const all: FetchedRevocation = { crls: [], ocsps: [] }
  for (const cert of chain) {
    if (cert.checkIssued(cert)) continue
    const issuer = pool.find((candidate) => cert.checkIssued(candidate) && cert.verify(candidate.publicKey))
    const found = issuer ? await fetch(cert, issuer) : { crls: [], ocsps: [] }
    if (found.crls.length + found.ocsps.length === 0 && strict) return undefined
    all.crls.push(...found.crls)
    all.ocsps.push(...found.ocsps)
  }
  return all
}

function unique(certs: X509Certificate[]): X509Certificate[] {
  const seen = new Set<string>()
  return certs.filter((cert) => !seen.has(cert.fingerprint256) && seen.add(cert.fingerprint256))
}

export function certificate(input: string | Uint8Array): X509Certificate | undefined {
  try {
    return new X509Certificate(input)
  } catch {
    return undefined
  }
}
