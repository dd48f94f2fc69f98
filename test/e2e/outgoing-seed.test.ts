import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DemoContext } from '../../scripts/lib/demo-context.ts'
import { closeDemoContext, openDemoContext } from '../../scripts/lib/seed-organisation.ts'
import { OUTGOING_DRAFT_PLAN, seedOutgoingDrafts } from '../../scripts/lib/seed-outgoing-drafts.ts'
import { OUTGOING_ISSUED_PLAN, seedOutgoingIssued } from '../../scripts/lib/seed-outgoing-issued.ts'
import { seedSigning } from '../../scripts/lib/seed-signing.ts'
import { eq } from 'drizzle-orm'
import { documents } from '../../src/platform/db/schema/index.ts'
import { bootstrapAdmin } from '../../src/organisation/bootstrap.ts'
import { CORPUS_DIR } from '../helpers/corpus.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

const corpusDocs = path.join(CORPUS_DIR, 'docs')

interface ListItem {
  id: string
  status: string
  kind: string | null
  numberNotation: string | null
}
interface View {
  document: { status: string; numberNotation: string | null }
  recipients: { kind: string; label: string; channel: string; state: string }[]
  links: { copies: { id: string; numberNotation: string | null }[]; copyOf: { id: string } | null }
  outgoing: { revocation: { reason: string | null } | null }
}

describe.skipIf(!existsSync(corpusDocs))('Outgoing demo data (seed:demo)', () => {
  let t: TestApp
  let ctx: DemoContext
  let tokens: { userId: string; tokenId: string }[]
  const lines: string[] = []

  beforeAll(async () => {
    t = await startTestApp(pgliteDriver)
    await bootstrapAdmin(t.platform.database, 'Quản trị Hòa Giang 2026')
    const opened = await openDemoContext(t.app, t.platform, {
      demoPassword: 'Mật khẩu dùng thử 2026',
      pin: '246810',
      corpusDir: corpusDocs,
      say: (line) => lines.push(line),
    })
    ctx = opened.ctx
    tokens = opened.tokens
    await seedSigning(ctx)
  }, 240_000)
  afterAll(async () => {
    if (ctx) await closeDemoContext(t.platform, ctx, tokens)
    await t?.close()
  })

  // Every outgoing document, drafts the clerk does not see included (read, never written, behind the API).
  const all = async (): Promise<ListItem[]> =>
    (await t.platform.database.db.select().from(documents).where(eq(documents.direction, 'outgoing'))).map(
      (row) => ({
        id: row.id,
        status: row.status,
        kind: row.kind,
        numberNotation: row.codeNumber ? `${row.codeNumber}/${row.codeNotation}` : null,
      }),
    )

  it('GIVEN the demo agency with signing set up WHEN the outgoing sections run twice THEN documents exist once in every state: drafts to signed, numbered, sealed, issued, revoked, and a sao y', async () => {
    await seedOutgoingDrafts(ctx)
    await seedOutgoingIssued(ctx)
    const first = await all()
    await seedOutgoingDrafts(ctx)
    await seedOutgoingIssued(ctx)
    expect(lines).toContainEqual(expect.stringMatching(/^Outgoing documents: 4 signed by the leader/))
    expect(lines.at(-1)).toMatch(/made already/)
    const items = await all()
    expect(items).toHaveLength(first.length)
    // Drafts, the plan's documents, and the copy.
    expect(items).toHaveLength(OUTGOING_DRAFT_PLAN.length + OUTGOING_ISSUED_PLAN.length + 1)
    const statuses = new Set(items.map((item) => item.status))
    for (const status of [
      'draft',
      'in_review',
      'returned',
      'awaiting_signature',
      'signed',
      'numbered',
      'sealed',
      'issued',
      'revoked',
    ])
      expect(statuses, status).toContain(status)
    // One gapless administrative book for the decisions, the notice and the plan; copies in their own.
    const numbered = items.filter((item) => item.numberNotation)
    expect(numbered.map((item) => item.numberNotation).sort()).toEqual([
      '01/QĐ-UBND',
      '01/SY',
      '02/QĐ-UBND',
      '03/TB-UBND',
      '04/KH-UBND',
    ])
    // The clerk's queues show the numbered one awaiting its seal and the sealed one awaiting issue.
    const awaitingSeal = await ctx.api<{ items: ListItem[] }>(
      'clerk',
      'GET',
      '/api/outgoing?view=awaiting-seal',
    )
    expect(awaitingSeal.items.map((item) => item.numberNotation)).toEqual(['04/KH-UBND'])
    const awaitingIssue = await ctx.api<{ items: ListItem[] }>(
      'clerk',
      'GET',
      '/api/outgoing?view=awaiting-issue',
    )
    expect(awaitingIssue.items.map((item) => item.numberNotation)).toContain('03/TB-UBND')
  }, 600_000)

  it('GIVEN the seeded issued decision WHEN its page is read THEN each recipient has its delivery (post delivered, interchange waiting, units delivered), its sao y links back, and the other unit’s officer received it', async () => {
    const items = await all()
    const issued = items.find((item) => item.status === 'issued' && item.kind === 'Quyết định')!
    const view = await ctx.api<View>('clerk', 'GET', `/api/outgoing/${issued.id}`)
    expect(view.recipients.map((r) => [r.label, r.channel, r.state])).toEqual([
      ['Bộ Nội vụ', 'post', 'delivered'],
      ['Sở Tài chính tỉnh Hòa Giang', 'interchange', 'waiting-interchange'],
      ['Phòng Kinh tế', 'internal', 'delivered'],
      ['Phòng Tổng hợp', 'internal', 'delivered'],
    ])
    expect(view.links.copies.map((copy) => copy.numberNotation)).toEqual(['01/SY'])
    const copy = await ctx.api<View>('clerk', 'GET', `/api/outgoing/${view.links.copies[0]!.id}`)
    expect(copy.links.copyOf?.id).toBe(issued.id)
    const received = await ctx.api<{ items: ListItem[] }>(
      'internalOfficer',
      'GET',
      '/api/outgoing?view=received',
    )
    expect(received.items.map((item) => item.id)).not.toContain(issued.id)
    const general = await ctx.api<{ items: ListItem[] }>(
      'generalOfficer',
      'GET',
      '/api/outgoing?view=received',
    )
    expect(general.items.map((item) => item.id)).toContain(issued.id)
    const revoked = items.find((item) => item.status === 'revoked')!
    const revokedView = await ctx.api<View>('clerk', 'GET', `/api/outgoing/${revoked.id}`)
    expect(revokedView.outgoing.revocation?.reason).toMatch(/thu hồi/)
  })
})
