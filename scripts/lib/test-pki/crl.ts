/**
 * X.509 v2 CRLs (RFC 5280 5.1), which node-forge cannot make: built with forge.asn1, signed with Node.
 * The issuer Name is the CA certificate's subject as encoded, so UTF8String names match byte for byte.
 */
import { sign } from 'node:crypto'
import { certInfo } from '../../../src/pades/cms/certs.ts'
import {
  type Asn1,
  algorithm,
  asn1,
  Class,
  contextTag,
  encode,
  nullValue,
  octets,
  oid,
  seq,
  smallInt,
  Type,
  toBinary,
  unsignedInt,
} from '../../../src/pades/cms/der.ts'
import { OID } from '../../../src/pades/cms/oids.ts'
import type { IssuedCert } from './issue-cert.ts'

export interface RevokedEntry {
  serialHex: string
  revokedAt: Date
  /** CRLReason code (1 = keyCompromise). */
  reason?: number
}

export interface Crl {
  der: Buffer
  pem: string
  thisUpdate: Date
  nextUpdate: Date
  revoked: RevokedEntry[]
}

export function buildCrl(input: {
  issuer: IssuedCert
  revoked: RevokedEntry[]
  thisUpdate: Date
  nextUpdate: Date
  crlNumber: number
}): Crl {
  const ca = certInfo(input.issuer.der)
  const signatureAlgorithm = algorithm(OID.sha256WithRSA, nullValue())
  const fields: Asn1[] = [
    smallInt(1),
    signatureAlgorithm,
    ca.subject,
    utcTime(input.thisUpdate),
    utcTime(input.nextUpdate),
  ]
  if (input.revoked.length > 0) fields.push(seq(...input.revoked.map(revokedEntry)))
  const authorityKeyId = seq(contextTag(0, false, toBinary(ca.subjectKeyId ?? Buffer.alloc(0))))
  fields.push(
    contextTag(0, true, [
      seq(extension('2.5.29.35', authorityKeyId), extension('2.5.29.20', smallInt(input.crlNumber))),
    ]),
  )
  const tbs = encode(seq(...fields))
  const signature = sign('sha256', tbs, input.issuer.privateKey)
  const der = encode(seq(asn1.fromDer(toBinary(tbs)), signatureAlgorithm, bitString(signature)))
  const pem = `-----BEGIN X509 CRL-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END X509 CRL-----\n`
  return { der, pem, thisUpdate: input.thisUpdate, nextUpdate: input.nextUpdate, revoked: input.revoked }
}

function revokedEntry(entry: RevokedEntry) {
  const reason = asn1.create(Class.UNIVERSAL, Type.ENUMERATED, false, String.fromCharCode(entry.reason ?? 1))
  return seq(
    unsignedInt(Buffer.from(entry.serialHex, 'hex')),
    utcTime(entry.revokedAt),
    seq(extension('2.5.29.21', reason)),
  )
}

const extension = (id: string, value: Asn1) => seq(oid(id), octets(encode(value)))

const utcTime = (date: Date) => asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, asn1.dateToUtcTime(date))
const bitString = (bytes: Buffer) =>
  asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, `\x00${toBinary(bytes)}`)
