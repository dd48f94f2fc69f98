/**
 * RFC 3161 signature timestamps (PAdES B-T): asks a TSA to timestamp the signature value, checks the
 * reply, and stores the token as the unsigned attribute id-aa-signatureTimeStampToken (RFC 5126 5.11.3).
 */
import { createHash, randomBytes } from 'node:crypto'
import { OID } from '../../pades/cms/oids.ts'
import { parseCms } from '../../pades/cms/parse-cms.ts'
import { type RawAttribute, withUnsignedAttribute } from '../../pades/cms/signed-data.ts'
import { encodeTimeStampReq, parseTimeStampResp } from '../../pades/cms/tsp.ts'
import { type TimestampVerification, verifyTimestampToken } from '../../pades/cms/verify-timestamp.ts'

export interface TsaOptions {
  url: string
  /** Whole request; the TSA is a network peer that may hang. Default 10 s. */
  timeoutMs?: number
  /** TSAPolicyId to ask for. */
  policy?: string
  headers?: Record<string, string>
}

export type TimestampErrorCode =
  /** Network failure or timeout. */
  | 'tsa-unreachable'
  /** HTTP status other than 2xx. */
  | 'tsa-http-status'
  /** PKIStatus other than granted / grantedWithMods, or no token. */
  | 'tsa-rejected'
  /** The reply does not parse, or the token fails verifyTimestampToken. */
  | 'tsa-bad-token'

export class TimestampError extends Error {
  constructor(
    readonly code: TimestampErrorCode,
    message: string,
    readonly verification?: TimestampVerification,
  ) {
    super(message)
  }
}

export interface TimestampResult {
  token: Buffer
  verification: TimestampVerification
}

/** Timestamps `data` (SHA-256 imprint, random nonce, certReq) and returns the checked token. */
export async function requestTimestamp(data: Uint8Array, options: TsaOptions): Promise<TimestampResult> {
  const nonce = BigInt(`0x${randomBytes(8).toString('hex')}`)
  const request = encodeTimeStampReq({
    hashAlgorithm: OID.sha256,
    hashedMessage: createHash('sha256').update(data).digest(),
    nonce,
    certReq: true,
    policy: options.policy,
  })
  const reply = await post(request, options)
  let token: Buffer | undefined
  try {
    const response = parseTimeStampResp(reply)
    if (response.status > 1 || !response.token) {
      const text = response.statusText ? `: ${response.statusText}` : ''
      throw new TimestampError('tsa-rejected', `TSA refused the request (status ${response.status}${text})`)
    }
    token = response.token
  } catch (error) {
    if (error instanceof TimestampError) throw error
    throw new TimestampError('tsa-bad-token', `TSA reply is not a TimeStampResp: ${(error as Error).message}`)
  }
  const verification = verifyTimestampToken(token, { data, nonce })
  if (!verification.valid) {
    throw new TimestampError(
      'tsa-bad-token',
      `TSA token rejected: ${verification.reasons.join(', ')}`,
      verification,
    )
  }
  return { token, verification }
}

export const timestampAttribute = (token: Uint8Array): RawAttribute => ({
  type: OID.signatureTimeStampToken,
  values: [token],
})

/** Adds a signature timestamp to a signed CMS (one SignerInfo): the imprint is its signature value. */
export async function addSignatureTimestamp(cms: Uint8Array, options: TsaOptions): Promise<Buffer> {
  const signerInfo = parseCms(cms).signerInfos[0]
  if (!signerInfo) throw new Error('CMS: no SignerInfo')
  const { token } = await requestTimestamp(signerInfo.signature, options)
  return withUnsignedAttribute(cms, timestampAttribute(token))
}

async function post(body: Buffer, options: TsaOptions): Promise<Buffer> {
  let response: Response
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', ...options.headers },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    })
  } catch (error) {
    throw new TimestampError('tsa-unreachable', `TSA ${options.url} unreachable: ${(error as Error).message}`)
  }
  if (!response.ok) throw new TimestampError('tsa-http-status', `TSA answered HTTP ${response.status}`)
  try {
    return Buffer.from(await response.arrayBuffer())
  } catch (error) {
    throw new TimestampError('tsa-unreachable', `TSA reply not received: ${(error as Error).message}`)
  }
}
