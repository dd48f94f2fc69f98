/**
 * Ký số that works at once in the demo: a test PKI whose certificates name the demo's leader and agency
 * (written to DATA_DIR/demo-pki: certificates, keys, .p12 files and CRLs — test material, never for real
 * use); its root and intermediate trusted by the agency, with their CRLs loaded so that signatures verify
 * as valid offline too; the leader's credential and signature image; the agency seal credential and image.
 * Both credentials are unlocked with the demo PIN.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { PROJECT_ROOT } from '../../src/platform/paths.ts'
import type { DemoContext } from './demo-context.ts'
import { createTestPki } from './test-pki/test-pki.ts'
import { pkcs12, writeTestPki } from './test-pki/write-test-pki.ts'

const P12_PASSWORD = 'vanthu-demo'
const ASSETS = path.join(PROJECT_ROOT, 'src', 'signatures', 'appearance', 'assets')
/** The demo's CRLs stay current for a year: the demo is not about refreshing them (the admin page shows how). */
const CRL_VALIDITY_DAYS = 365

/** Answers whether it set the signing up now (false: it was there already). */
export async function seedSigning(ctx: DemoContext): Promise<boolean> {
  const anchors = await ctx.api<{ items: { subject: string }[] }>('admin', 'GET', '/api/admin/trust-anchors')
  if (anchors.items.some((anchor) => anchor.subject.includes('Vanthu Test Root CA'))) {
    ctx.say('Signing: the demo PKI is set up already.')
    return false
  }
  const pki = createTestPki({ crlValidityDays: CRL_VALIDITY_DAYS })
  const pkiDir = path.join(ctx.platform.config.dataDir, 'demo-pki')
  await writeTestPki(pki, pkiDir, P12_PASSWORD)

  const file = (name: string, contentType: string, data: Buffer) => [{ name: 'file', fileName: name, contentType, data }]
  await ctx.upload('admin', 'POST', '/api/admin/trust-anchors', file('root.pem', 'application/x-pem-file', Buffer.from(pki.root.certPem)))
  await ctx.upload('admin', 'POST', '/api/admin/trust-anchors', file('intermediate.pem', 'application/x-pem-file', Buffer.from(pki.intermediate.certPem)))
  await ctx.upload('admin', 'POST', '/api/admin/revocation-lists', file('root.crl', 'application/pkix-crl', pki.crls.root.der))
  await ctx.upload('admin', 'POST', '/api/admin/revocation-lists', file('intermediate.crl', 'application/pkix-crl', pki.crls.intermediate.der))

  const credential = (entity: typeof pki.leader, fileName: string) => [
    { name: 'file', fileName, contentType: 'application/x-pkcs12', data: pkcs12(entity, [pki.intermediate, pki.root], P12_PASSWORD) },
    { name: 'password', value: P12_PASSWORD },
    { name: 'pin', value: ctx.pin },
  ]
  await ctx.upload('admin', 'POST', '/api/admin/signing/agency-seal', credential(pki.agency, 'con-dau.p12'))
  await ctx.upload('admin', 'PUT', '/api/admin/signing/seal-image', file('con-dau.png', 'image/png', await readFile(path.join(ASSETS, 'demo-seal.png'))))
  await ctx.upload('leader', 'POST', '/api/me/signing-credentials', credential(pki.leader, 'chu-ky.p12'))
  await ctx.upload('leader', 'PUT', '/api/me/signature-image', file('chu-ky.png', 'image/png', await readFile(path.join(ASSETS, 'demo-signature.png'))))
  ctx.say(
    `Signing: test PKI in ${pkiDir} (root and intermediate trusted, their CRLs loaded until ${pki.crls.intermediate.nextUpdate.toISOString().slice(0, 10)}); ` +
      `${ctx.people.leader.fullName}'s certificate and signature image; the agency seal and its image.`,
  )
  return true
}
