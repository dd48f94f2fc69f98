/**
 * Văn bản đi in the making: drafts of the agency's own documents (the corpus documents it issued), drafted
 * by the demo's officers and taken as far as the drafting flow goes before the number — a draft being
 * written, one with its reviewer, one returned with comments, two awaiting the leader's signature (his
 * "Chờ ký" queue) and one the leader signed with the demo PIN, waiting for its number. Numbering, the
 * seal and issue are the outgoing flow's own demo (issue 14's section).
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { DemoPersonKey } from './demo-agency.ts'
import { corpusMeta, type DemoContext } from './demo-context.ts'

type Stage = 'draft' | 'in-review' | 'returned' | 'awaiting-signature' | 'signed'

interface DraftPlan {
  id: string
  drafter: DemoPersonKey
  stage: Stage
}

export const OUTGOING_DRAFT_PLAN: DraftPlan[] = [
  { id: '007', drafter: 'officer', stage: 'draft' },
  { id: '002', drafter: 'officer', stage: 'in-review' },
  { id: '019', drafter: 'generalOfficer', stage: 'returned' },
  { id: '018', drafter: 'internalOfficer', stage: 'awaiting-signature' },
  { id: '001', drafter: 'officer', stage: 'awaiting-signature' },
  { id: '024', drafter: 'economyOfficer', stage: 'signed' },
]

const URGENCY: Record<string, string> = { Khẩn: '1', 'Thượng khẩn': '2', 'Hỏa tốc': '3' }

export async function seedOutgoingDrafts(ctx: DemoContext): Promise<void> {
  const dir = ctx.corpusDir
  if (!dir) return
  const existing = await ctx.api<{ items: unknown[] }>('officer', 'GET', '/api/documents?direction=outgoing&limit=1')
  if (existing.items.length > 0) {
    ctx.say('Outgoing drafts: made already.')
    return
  }
  for (const plan of OUTGOING_DRAFT_PLAN) {
    const meta = corpusMeta(dir, plan.id)
    const fields: Record<string, string> = {
      kind: meta.kind,
      subject: meta.subject,
      signerId: ctx.people.leader.id,
      authorityPrefix: 'TM.',
      authorityName: 'Ủy ban nhân dân',
      signerPosition: 'Chủ tịch',
      urgency: URGENCY[meta.urgency ?? ''] ?? '0',
    }
    const draft = await ctx.upload<{ document: { id: string } }>(plan.drafter, 'POST', '/api/outgoing', [
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
      { name: 'file', fileName: `du-thao-${meta.kind_code ?? 'CV'}-${plan.id}.pdf`, contentType: 'application/pdf', data: await readFile(path.join(dir, `${plan.id}.pdf`)) },
    ])
    const id = draft.document.id
    if (plan.stage === 'draft') continue
    if (plan.stage === 'in-review' || plan.stage === 'returned') {
      await ctx.api(plan.drafter, 'POST', `/api/outgoing/${id}/submit`, {
        reviewers: [{ userId: ctx.people.economyHead.id, kind: 'content' }],
        comment: 'Kính trình Trưởng phòng cho ý kiến về nội dung.',
      })
      if (plan.stage === 'returned') {
        await ctx.api('economyHead', 'POST', `/api/outgoing/${id}/review`, {
          decision: 'return',
          comment: 'Đề nghị bổ sung căn cứ pháp lý và rà soát lại số liệu ở mục 2.',
        })
      }
      continue
    }
    await ctx.api(plan.drafter, 'POST', `/api/outgoing/${id}/submit`, { comment: 'Kính trình Chủ tịch ký ban hành.' })
    if (plan.stage === 'signed') await ctx.api('leader', 'POST', `/api/documents/${id}/sign`, { pin: ctx.pin })
  }
  ctx.say(`Outgoing drafts: ${OUTGOING_DRAFT_PLAN.length} (being drafted, in review, returned, awaiting the leader's signature, signed).`)
}
