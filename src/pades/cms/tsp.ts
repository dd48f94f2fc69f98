/**
 * RFC 3161 structures: TimeStampReq, TimeStampResp and TSTInfo, encoded and read with forge.asn1.
 * The encoders for responses and TSTInfo serve test TSAs; a client needs the request encoder and readers.
 */
import {
  type Asn1,
  algorithm,
  asn1,
  bool,
  bytesOf,
  children,
  Class,
  decode,
  encode,
  generalizedTime,
  integerOf,
  octets,
  oid,
  oidOf,
  seq,
  smallInt,
  Type,
  unsignedInt,
} from './der.ts'

export interface MessageImprint {
  hashAlgorithm: string
  hashedMessage: Buffer
}

export interface TimeStampRequest extends MessageImprint {
  nonce?: bigint
  certReq: boolean
  policy?: string
}

export interface TstInfo extends MessageImprint {
  policy: string
  serialNumber: bigint
  genTime: Date
  nonce?: bigint
}

export interface TimeStampResponse {
  /** PKIStatus: 0 granted, 1 grantedWithMods, 2 rejection, 3 waiting, 4/5 revocation. */
  status: number
  statusText?: string
  /** PKIFailureInfo bits as sent (BIT STRING contents). */
  failInfo?: Buffer
  token?: Buffer
}

export function encodeTimeStampReq(request: TimeStampRequest): Buffer {
  const fields = [smallInt(1), imprint(request)]
  if (request.policy) fields.push(oid(request.policy))
  if (request.nonce !== undefined) fields.push(bigInteger(request.nonce))
  if (request.certReq) fields.push(bool(true))
  return encode(seq(...fields))
}

export function parseTimeStampReq(der: Uint8Array): TimeStampRequest {
  const fields = children(decode(der))
  const request: TimeStampRequest = { ...readImprint(fields[1]), certReq: false }
  for (const field of fields.slice(2)) {
    if (field.type === Type.OID) request.policy = oidOf(field)
    else if (field.type === Type.INTEGER) request.nonce = integerOf(field)
    else if (field.type === Type.BOOLEAN) request.certReq = bytesOf(field)[0] !== 0
  }
  return request
}

export function encodeTstInfo(info: TstInfo): Buffer {
  const fields = [
    smallInt(1),
    oid(info.policy),
    imprint(info),
    bigInteger(info.serialNumber),
    generalizedTime(info.genTime),
  ]
  if (info.nonce !== undefined) fields.push(bigInteger(info.nonce))
  return encode(seq(...fields))
}

export function parseTstInfo(der: Uint8Array): TstInfo {
  const fields = children(decode(der))
  const [, policy, messageImprint, serial, genTime] = fields
  if (!genTime || genTime.type !== Type.GENERALIZEDTIME) throw new Error('TSTInfo: no genTime')
  // nonce is the only bare INTEGER after genTime (accuracy is a SEQUENCE, tsa and extensions are tagged).
  const nonce = fields
    .slice(5)
    .find((field) => field.tagClass === Class.UNIVERSAL && field.type === Type.INTEGER)
  return {
    policy: oidOf(policy) ?? '',
    ...readImprint(messageImprint),
    serialNumber: integerOf(serial),
    genTime: asn1.generalizedTimeToDate(genTime.value as string),
    nonce: nonce ? integerOf(nonce) : undefined,
  }
}

export function encodeTimeStampResp(response: {
  status: number
  statusText?: string
  token?: Uint8Array
}): Buffer {
  const statusFields = [smallInt(response.status)]
  if (response.statusText) {
    statusFields.push(seq(asn1.create(asn1.Class.UNIVERSAL, Type.UTF8, false, utf8(response.statusText))))
  }
  return encode(seq(seq(...statusFields), ...(response.token ? [decode(response.token)] : [])))
}

export function parseTimeStampResp(der: Uint8Array): TimeStampResponse {
  const [statusInfo, token] = children(decode(der))
  const [status, ...rest] = children(statusInfo)
  const text = rest.find((field) => field.type === Type.SEQUENCE)
  const failInfo = rest.find((field) => field.type === Type.BITSTRING)
  return {
    status: Number(integerOf(status)),
    statusText: text
      ? children(text)
          .map((part) => Buffer.from(bytesOf(part)).toString('utf8'))
          .join(' ')
      : undefined,
    failInfo: failInfo ? bytesOf(failInfo) : undefined,
    token: token ? encode(token) : undefined,
  }
}

const imprint = (value: MessageImprint) => seq(algorithm(value.hashAlgorithm), octets(value.hashedMessage))

function readImprint(node: Asn1 | undefined): MessageImprint {
  const [hashAlgorithm, hashedMessage] = children(node)
  return { hashAlgorithm: oidOf(children(hashAlgorithm)[0]) ?? '', hashedMessage: bytesOf(hashedMessage) }
}

function bigInteger(value: bigint) {
  const hex = value.toString(16)
  return unsignedInt(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'))
}

const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('binary')
