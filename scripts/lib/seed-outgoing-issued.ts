/**
 * Văn bản đi past the leader's signature: drafted by the demo's officers as DOCX (converted by LibreOffice,
 * the DOCX kept as the editable source), approved by the head of unit, signed by the leader with the demo
 * PIN, then taken by the clerk as far as each stage shows — one numbered ("chờ đóng dấu"), one sealed
 * ("chờ phát hành"), one issued to units and to external agencies (a delivery each: by post, delivered;
 * by electronic interchange, "chờ gửi liên thông"), with a sao y, and one issued then revoked on the
 * leader's decision. Without LibreOffice the drafts are the corpus PDFs of the same kind.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { draftDocx, sampleDecision } from './draft-docx.ts'
import type { DemoPersonKey } from './demo-agency.ts'
import type { DemoContext, Part } from './demo-context.ts'

type Stage = 'numbered' | 'sealed' | 'issued' | 'revoked'

interface IssuedPlan {
  stage: Stage
  drafter: DemoPersonKey
  kind: string
  /** The kind's title and notation as printed on the draft. */
  kindTitle: string
  notation: string
  subject: string
  paragraphs: string[]
  /** The corpus document used as the draft when LibreOffice is not installed. */
  fallbackPdf: string
  urgency: number
  copy?: boolean
}

/** The external agencies of the demo's directory (mã định danh as the national catalogue gives them). */
export const DEMO_EXTERNAL_AGENCIES = [
  { organId: '000.00.00.G09', name: 'Bộ Nội vụ', email: null, address: 'Số 8 Tôn Thất Thuyết, Hà Nội' },
  { organId: '000.05.20.H99', name: 'Sở Tài chính tỉnh Hòa Giang', email: null, address: null },
] as const

export const OUTGOING_ISSUED_PLAN: IssuedPlan[] = [
  {
    stage: 'issued',
    drafter: 'officer',
    kind: 'Quyết định',
    kindTitle: 'QUYẾT ĐỊNH',
    notation: '/QĐ-UBND',
    subject: 'Về việc thành lập Tổ công tác chuyển đổi số tỉnh Hòa Giang',
    paragraphs: [
      'Điều 1. Thành lập Tổ công tác chuyển đổi số tỉnh Hòa Giang gồm các thành viên có tên tại Phụ lục kèm theo.',
      'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
    ],
    fallbackPdf: '001',
    urgency: 0,
    copy: true,
  },
  {
    stage: 'revoked',
    drafter: 'economyOfficer',
    kind: 'Quyết định',
    kindTitle: 'QUYẾT ĐỊNH',
    notation: '/QĐ-UBND',
    subject: 'Về việc phê duyệt danh mục dự án khuyến công năm 2026',
    paragraphs: [
      'Điều 1. Phê duyệt danh mục 12 dự án khuyến công năm 2026 tại Phụ lục kèm theo.',
      'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
    ],
    fallbackPdf: '024',
    urgency: 0,
  },
  {
    stage: 'sealed',
    drafter: 'generalOfficer',
    kind: 'Thông báo',
    kindTitle: 'THÔNG BÁO',
    notation: '/TB-UBND',
    subject: 'Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại cuộc họp giao ban tháng 12',
    paragraphs: [
      'Ngày 01 tháng 12, Chủ tịch Ủy ban nhân dân tỉnh chủ trì cuộc họp giao ban. Chủ tịch kết luận như sau:',
    ],
    fallbackPdf: '010',
    urgency: 1,
  },
  {
    stage: 'numbered',
    drafter: 'internalOfficer',
    kind: 'Kế hoạch',
    kindTitle: 'KẾ HOẠCH',
    notation: '/KH-UBND',
    subject: 'Kiểm tra công tác cải cách hành chính năm 2027',
    paragraphs: ['I. MỤC ĐÍCH, YÊU CẦU', 'II. NỘI DUNG, THỜI GIAN KIỂM TRA', 'III. TỔ CHỨC THỰC HIỆN'],
    fallbackPdf: '007',
    urgency: 0,
  },
]

const ORDER: Stage[] = ['numbered', 'sealed', 'issued', 'revoked']
const reached = (plan: IssuedPlan, stage: Stage) => ORDER.indexOf(plan.stage) >= ORDER.indexOf(stage)

export async function seedOutgoingIssued(ctx: DemoContext): Promise<void> {
  const existing = await ctx.api<{ items: unknown[] }>('clerk', 'GET', '/api/outgoing?view=issued&limit=1')
  if (existing.items.length > 0) {
    ctx.say('Outgoing documents numbered, sealed and issued: made already.')
    return
  }
  await ensureAgencies(ctx)
  let usedDocx = true
  for (const plan of OUTGOING_ISSUED_PLAN) {
    const { id, docx } = await draft(ctx, plan)
    usedDocx &&= docx
    await ctx.api(plan.drafter, 'POST', `/api/outgoing/${id}/submit`, {
      reviewers: [{ userId: ctx.people.economyHead.id, kind: 'content' }],
      comment: 'Kính trình Trưởng phòng cho ý kiến về nội dung.',
    })
    await ctx.api('economyHead', 'POST', `/api/outgoing/${id}/review`, {
      decision: 'approve',
      comment: 'Đồng ý trình ký.',
    })
    await ctx.api('leader', 'POST', `/api/documents/${id}/sign`, { pin: ctx.pin })
    await ctx.api('clerk', 'POST', `/api/documents/${id}/number`, {})
    if (!reached(plan, 'sealed')) continue
    await ctx.api('clerk', 'POST', `/api/documents/${id}/seal`, { pin: ctx.pin })
    if (!reached(plan, 'issued')) continue
    await issue(ctx, id)
    if (plan.copy) {
      await ctx.api('clerk', 'POST', `/api/documents/${id}/copies`, {
        form: 'SY',
        pin: ctx.pin,
        comment: 'Sao y gửi Sở Nội vụ để theo dõi.',
      })
    }
    if (plan.stage === 'revoked') {
      await ctx.api('leader', 'POST', `/api/documents/${id}/revocation`, {
        reason: 'Danh mục dự án chưa được Hội đồng thẩm định thông qua; thu hồi để trình lại.',
      })
      await ctx.api('clerk', 'POST', `/api/documents/${id}/revoke`)
    }
  }
  ctx.say(
    `Outgoing documents: ${OUTGOING_ISSUED_PLAN.length} signed by the leader and numbered — one awaiting the seal, one awaiting issue, ` +
      `one issued to units and agencies (with a sao y), one issued then revoked${usedDocx ? '' : ' (LibreOffice missing: drafts are corpus PDFs)'}.`,
  )
}

async function ensureAgencies(ctx: DemoContext) {
  const listed = await ctx.api<{ items: { organId: string }[] }>(
    'clerk',
    'GET',
    '/api/outgoing/agencies?includeInactive=true',
  )
  const known = new Set(listed.items.map((agency) => agency.organId))
  for (const agency of DEMO_EXTERNAL_AGENCIES) {
    if (!known.has(agency.organId)) await ctx.api('clerk', 'POST', '/api/outgoing/agencies', { ...agency })
  }
}

/** Recipients: the drafting unit handles it, another unit is informed, two agencies get it by post and by interchange. */
function recipients(ctx: DemoContext) {
  return [
    { organId: DEMO_EXTERNAL_AGENCIES[0].organId, channel: 'post' },
    { organId: DEMO_EXTERNAL_AGENCIES[1].organId, channel: 'interchange' },
    { departmentId: ctx.units.economy.id, purpose: 'handle' },
    { departmentId: ctx.units.general.id, purpose: 'inform' },
  ]
}

async function draft(ctx: DemoContext, plan: IssuedPlan): Promise<{ id: string; docx: boolean }> {
  const fields: Part[] = Object.entries({
    kind: plan.kind,
    subject: plan.subject,
    signerId: ctx.people.leader.id,
    authorityPrefix: 'TM.',
    authorityName: 'Ủy ban nhân dân',
    signerPosition: 'Chủ tịch',
    urgency: String(plan.urgency),
    recipients: JSON.stringify(recipients(ctx)),
  }).map(([name, value]) => ({ name, value }))
  const docx = draftDocx(
    sampleDecision({
      kindTitle: plan.kindTitle,
      notation: plan.notation,
      subject: plan.subject,
      year: Number(new Date().toISOString().slice(0, 4)),
      paragraphs: ['ỦY BAN NHÂN DÂN TỈNH HÒA GIANG', ...plan.paragraphs],
      recipients: [
        DEMO_EXTERNAL_AGENCIES[0].name,
        DEMO_EXTERNAL_AGENCIES[1].name,
        'Phòng Kinh tế',
        'Lưu: VT',
      ],
      signerName: ctx.people.leader.fullName,
    }),
  )
  const docxPart: Part = {
    name: 'file',
    fileName: `du-thao-${plan.notation.slice(1)}.docx`,
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    data: docx,
  }
  try {
    const made = await ctx.upload<{ document: { id: string } }>(plan.drafter, 'POST', '/api/outgoing', [
      ...fields,
      docxPart,
    ])
    return { id: made.document.id, docx: true }
  } catch (error) {
    if (!String(error).includes('docx-converter-missing') || !ctx.corpusDir) throw error
    const pdf = await readFile(path.join(ctx.corpusDir, `${plan.fallbackPdf}.pdf`))
    const made = await ctx.upload<{ document: { id: string } }>(plan.drafter, 'POST', '/api/outgoing', [
      ...fields,
      {
        name: 'file',
        fileName: `du-thao-${plan.fallbackPdf}.pdf`,
        contentType: 'application/pdf',
        data: pdf,
      },
    ])
    return { id: made.document.id, docx: false }
  }
}

/** Phát hành, then what the clerk records of the postal delivery: sent, then delivered. */
async function issue(ctx: DemoContext, id: string) {
  const issued = await ctx.api<{ recipients: { id: string; channel: string }[] }>(
    'clerk',
    'POST',
    `/api/documents/${id}/issue`,
    {},
  )
  const post = issued.recipients.find((recipient) => recipient.channel === 'post')
  if (!post) return
  await ctx.api('clerk', 'PATCH', `/api/documents/${id}/deliveries/${post.id}`, {
    state: 'sent',
    note: 'Gửi qua bưu điện (VNPost), bưu phẩm số RR123456789VN.',
  })
  await ctx.api('clerk', 'PATCH', `/api/documents/${id}/deliveries/${post.id}`, {
    state: 'delivered',
    note: 'Bộ Nội vụ đã ký nhận.',
  })
}
