/**
 * The attack corpus (test/attack-corpus/) through the library and through POST /api/verify: every file
 * gets the document verdict (and signature verdicts) it must get. Independent peers stay in the loop:
 * pdfsig and `mutool sign -v` agree with our valid baselines; `openssl verify` refuses the certification
 * paths we refuse for CA constraints. Where pdfsig is fooled (it checks the byte-range digest, not what
 * later revisions did, nor DocMDP), the test says so and checks that we are not.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPdf } from '../../src/pades/verify/verify-pdf.ts'
import type { PdfVerification } from '../../src/pades/verify/report.ts'
import { trustAnchors, users } from '../../src/platform/db/schema/index.ts'
import { buildAttackCorpus, type CorpusEntry } from '../attack-corpus/corpus.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { multipartBody } from '../helpers/multipart.ts'
import { mutoolVerify, nssDatabase, opensslVerify, pdfsig, peers } from '../helpers/signature-peers.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { testPki } from '../helpers/test-pki.ts'

const corpus = await buildAttackCorpus(testPki())
const work = mkdtempSync(path.join(os.tmpdir(), 'vanthu-attack-corpus-'))
const fileOf = (entry: CorpusEntry) => path.join(work, `${entry.id}.pdf`)
for (const entry of corpus) writeFileSync(fileOf(entry), entry.bytes)

/** Our library's report of each file, kept from its test for the peer comparisons. */
const reports = new Map<string, PdfVerification>()
async function ourReport(entry: CorpusEntry): Promise<PdfVerification> {
  const known = reports.get(entry.id)
  if (known) return known
  const report = await verifyPdf(entry.bytes, { trustAnchors: [testPki().root.certPem] })
  reports.set(entry.id, report)
  return report
}

const expectation = (entry: CorpusEntry) =>
  `${entry.expected.documentVerdict}${entry.expected.signatures ? ` (${entry.expected.signatures.join(', ')})` : ''}`

function expectVerdicts(entry: CorpusEntry, report: PdfVerification) {
  expect(report.documentVerdict, entry.id).toBe(entry.expected.documentVerdict)
  if (entry.expected.signatures)
    expect(
      report.signatures.map((signature) => signature.verdict),
      entry.id,
    ).toEqual(entry.expected.signatures)
  for (const reason of entry.expected.signatureReasons ?? [])
    expect(
      report.signatures.flatMap((signature) => signature.reasons),
      `${entry.id}: ${reason}`,
    ).toContain(reason)
  // Never a plain valid document when something but signatures and validation material followed.
  if (entry.expected.documentVerdict !== 'valid') expect(report.documentVerdict).not.toBe('valid')
}

describe('the attack corpus', () => {
  let t: TestApp
  let org: Organisation

  beforeAll(async () => {
    t = await startTestApp(pgliteDriver)
    org = await seedOrganisation(t.platform, t.app)
    const db = t.platform.database.db
    const [clerk] = await db.select().from(users).where(eq(users.id, org.users.clerk.id))
    const root = testPki().root
    await db.insert(trustAnchors).values({
      agencyId: clerk!.agencyId,
      kind: 'root',
      certificatePem: root.certPem,
      subject: root.x509.subject,
      fingerprintSha256: root.x509.fingerprint256.replaceAll(':', '').toLowerCase(),
      notAfter: new Date(root.x509.validTo),
      addedBy: 'test',
    })
  }, 120_000)
  afterAll(async () => t?.close())

  const post = async (entry: CorpusEntry): Promise<PdfVerification> => {
    const body = multipartBody([
      {
        name: 'file',
        fileName: `${entry.id}.pdf`,
        contentType: 'application/pdf',
        data: Buffer.from(entry.bytes),
      },
    ])
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/verify',
      payload: body.payload,
      headers: { ...body.headers, ...org.users.clerk.headers },
    })
    expect(response.statusCode, `${entry.id}: ${response.body.slice(0, 300)}`).toBe(200)
    return response.json()
  }

  it('GIVEN the corpus WHEN built THEN every class of the issue and every baseline is there', () => {
    const classes = new Set(corpus.map((entry) => entry.attackClass.split(' ')[0]))
    for (const name of ['baseline', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
      expect(classes, name).toContain(name)
    expect(new Set(corpus.map((entry) => entry.id)).size).toBe(corpus.length)
  })

  for (const entry of corpus) {
    it(`GIVEN ${entry.attackClass}: ${entry.variant} WHEN verified by the library and by POST /api/verify THEN ${expectation(entry)}`, async () => {
      const library = await ourReport(entry)
      expectVerdicts(entry, library)
      const api = await post(entry)
      expectVerdicts(entry, api)
      expect(api.documentReasons).toEqual(library.documentReasons)
    })
  }

  it.skipIf(!peers.pdfsig)(
    'GIVEN the baselines WHEN pdfsig checks them with the test root trusted THEN every signature is valid and trusted (pdfsig does not verify document timestamps)',
    () => {
      const nss = nssDatabase(testPki().root.certPem)
      for (const entry of corpus.filter((e) => e.attackClass === 'baseline')) {
        const found = pdfsig(fileOf(entry), nss).filter((s) => s.kind !== 'unsigned-field')
        expect(found.length, entry.id).toBe(entry.expected.signatures?.length)
        for (const signature of found.filter((s) => s.kind === 'signature'))
          expect(signature, entry.id).toMatchObject({ valid: true, trusted: true })
      }
    },
  )

  it.skipIf(!peers.pdfsig)(
    'GIVEN the attacks WHEN pdfsig calls every signature valid and trusted THEN we still do not answer valid (pdfsig is fooled: it checks the ranges, not later revisions nor DocMDP)',
    async () => {
      const nss = nssDatabase(testPki().root.certPem)
      const fooled = corpus.filter((entry) => {
        if (entry.attackClass === 'baseline' || entry.expected.documentVerdict === 'valid') return false
        const signatures = pdfsig(fileOf(entry), nss).filter((s) => s.kind === 'signature')
        return signatures.length > 0 && signatures.every((s) => s.valid && s.trusted)
      })
      // Incremental saving, catalog swaps, DocMDP and overlay attacks all pass pdfsig.
      expect(fooled.map((entry) => entry.id)).toEqual(
        expect.arrayContaining(['1-content-as-xref', '2-trailer-root-table', '6-p2-annotation']),
      )
      for (const entry of fooled)
        expect((await ourReport(entry)).documentVerdict, entry.id).not.toMatch(/^valid/)
    },
  )

  it.skipIf(!peers.mutool)(
    'GIVEN the baselines WHEN mutool sign -v checks them THEN every signature is valid (document timestamps: mutool cannot check them)',
    async () => {
      for (const entry of corpus.filter((e) => e.attackClass === 'baseline')) {
        // mutool cannot check document timestamps ("Unimplemented Feature"): it is asked about signatures.
        const signatures = mutoolVerify(fileOf(entry)).filter((s) => !s.unsupported)
        const ours = (await ourReport(entry)).signatures.filter((s) => s.type === 'signature')
        expect(signatures.length, entry.id).toBeGreaterThanOrEqual(ours.length)
        for (const signature of signatures)
          expect(signature.valid, `${entry.id}: ${signature.text}`).toBe(true)
      }
    },
  )

  it.skipIf(!peers.openssl)(
    'GIVEN the certification paths we refuse for CA constraints WHEN openssl verify checks them THEN it refuses them too; the test leader passes',
    () => {
      const { root, intermediate, leader } = testPki()
      expect(opensslVerify(leader.certPem, [intermediate.certPem], root.certPem).ok).toBe(true)
      const refused = corpus.filter((entry) => entry.expected.signatureReasons?.includes('ca-constraints'))
      expect(refused.length).toBeGreaterThanOrEqual(3)
      for (const entry of refused) {
        const result = opensslVerify(entry.path!.leaf, entry.path!.untrusted, root.certPem)
        expect(result.ok, `${entry.id}: ${result.output}`).toBe(false)
      }
    },
  )
})
