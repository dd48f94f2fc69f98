/**
 * A throw-away PKI for tests and demos: root CA -> intermediate CA -> a leader's signing certificate, the
 * agency's seal certificate, a TSA, an expired and a revoked certificate, with both CAs' CRLs. Names are
 * Vietnamese UTF8Strings, so every consumer meets non-ASCII issuers. Never for production use.
 */
import { DEMO_AGENCY, DEMO_PEOPLE } from '../demo-agency.ts'
import { buildCrl, type Crl } from './crl.ts'
import { type CertProfile, type DnAttribute, type IssuedCert, issueCert } from './issue-cert.ts'

export const TEST_PKI_CRL_BASE = 'http://pki.vanthu.invalid/crl'
const DAY = 86_400_000
const YEAR = 365 * DAY
const TEST_ORG = 'Vanthu – hệ thống thử nghiệm'
// The demo agency and its leader (scripts/lib/demo-agency.ts): the certificates name the demo's people.
const AGENCY = DEMO_AGENCY.name
const LEADER = DEMO_PEOPLE.leader.fullName

export interface TestPki {
  root: IssuedCert
  intermediate: IssuedCert
  /** CN=Nguyễn Văn An (the demo leader), O=Ủy ban nhân dân tỉnh Hòa Giang, C=VN */
  leader: IssuedCert
  /** The organisation (seal) certificate: CN=Ủy ban nhân dân tỉnh Hòa Giang. */
  agency: IssuedCert
  tsa: IssuedCert
  expired: IssuedCert
  revoked: IssuedCert
  crls: { root: Crl; intermediate: Crl }
}

const dn = (commonName: string, organization = TEST_ORG): DnAttribute[] => [
  { name: 'countryName', value: 'VN' },
  { name: 'organizationName', value: organization },
  { name: 'commonName', value: commonName },
]

/**
 * `crlBaseUrl`: where root.crl and intermediate.crl are served (distribution points of the intermediate
 * and of the end entities). `ocspUrl`: the intermediate's OCSP responder, named in the end entities.
 * `crlValidityDays`: until when both CRLs say they are current (default 30 days for the root's, 7 for
 * the intermediate's; the demo loads them once and wants them current for a long time).
 */
export function createTestPki(
  options: { now?: Date; crlBaseUrl?: string; ocspUrl?: string; crlValidityDays?: number } = {},
): TestPki {
  const now = options.now ?? new Date()
  const crlBase = options.crlBaseUrl ?? TEST_PKI_CRL_BASE
  const at = (offset: number) => new Date(now.getTime() + offset)
  const root = issueCert({
    name: 'root',
    subject: dn('Vanthu Test Root CA – Gốc thử nghiệm'),
    profile: 'root',
    notBefore: at(-DAY),
    notAfter: at(10 * YEAR),
  })
  const intermediate = issueCert({
    name: 'intermediate',
    subject: dn('Cơ quan chứng thực số thử nghiệm Vanthu'),
    profile: 'ca',
    issuer: root,
    notBefore: at(-DAY),
    notAfter: at(5 * YEAR),
    crlUrl: `${crlBase}/root.crl`,
  })
  const endEntity = (
    name: string,
    subject: DnAttribute[],
    profile: CertProfile,
    from = -DAY,
    to = 2 * YEAR,
  ) =>
    issueCert({
      name,
      subject,
      profile,
      issuer: intermediate,
      notBefore: at(from),
      notAfter: at(to),
      crlUrl: `${crlBase}/intermediate.crl`,
      ...(options.ocspUrl ? { ocspUrl: options.ocspUrl } : {}),
    })
  const revoked = endEntity('revoked', dn('Lê Văn Cường (thu hồi)', AGENCY), 'signer')
  return {
    root,
    intermediate,
    leader: endEntity('leader', dn(LEADER, AGENCY), 'signer'),
    agency: endEntity('agency', dn(AGENCY, AGENCY), 'signer'),
    tsa: endEntity('tsa', dn('Vanthu Test TSA – Dịch vụ cấp dấu thời gian'), 'tsa'),
    expired: endEntity('expired', dn('Trần Thị Bình (hết hạn)', AGENCY), 'signer', -2 * YEAR, -YEAR),
    revoked,
    crls: {
      root: buildCrl({
        issuer: root,
        revoked: [],
        thisUpdate: at(-DAY),
        nextUpdate: at((options.crlValidityDays ?? 30) * DAY),
        crlNumber: 1,
      }),
      intermediate: buildCrl({
        issuer: intermediate,
        revoked: [{ serialHex: revoked.serialHex, revokedAt: at(-DAY / 2), reason: 1 }],
        thisUpdate: at(-DAY / 4),
        nextUpdate: at((options.crlValidityDays ?? 7) * DAY),
        crlNumber: 1,
      }),
    },
  }
}

export const END_ENTITIES = ['leader', 'agency', 'tsa', 'expired', 'revoked'] as const
