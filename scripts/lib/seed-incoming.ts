/**
 * Văn bản đến of the demo: the corpus documents of other agencies, registered by the clerk (each with its
 * số đến) over the last four months, then handled as the agency's people would, so that every state is on
 * screen: waiting to be put forward, awaiting direction, returned, assigned (chủ trì / phối hợp / để biết)
 * with deadlines, in progress, overdue, an extension asked for, completed — some scanned (OCR'd), and two
 * secret ones (Mật) in the secret register, one handed on by name with a grant.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { DemoPersonKey, DemoUnit } from './demo-agency.ts'
import { type CorpusMeta, corpusMeta, type DemoContext, type DemoWho, dayFromToday } from './demo-context.ts'

type Recipient = { unit: DemoUnit } | { person: DemoPersonKey }

interface Direction {
  lead: Recipient
  cooperating?: Recipient[]
  informed?: Recipient[]
  /** Days from today (negative: already past, so the document is overdue). */
  deadline: number
  comment: string
}

interface IncomingPlan {
  id: string
  /** Register the simulated paper scan (no text layer: OCR reads it). */
  scan?: boolean
  receivedDaysAgo: number
  /** What happens after registration, in order. */
  steps: Step[]
}

type Step =
  | { submit: string }
  | { direct: Direction }
  | { return: string }
  | { reassign: DemoPersonKey; by: DemoPersonKey; deadline?: number }
  | { start: DemoPersonKey }
  | { note: DemoPersonKey; progress: number; comment: string }
  | { extension: DemoPersonKey; days: number; comment: string }
  | { complete: DemoPersonKey; comment: string }
  | { grant: DemoPersonKey }

const toLeader = (comment: string): Step => ({ submit: comment })

/** The documents and what becomes of each (ids of ../shared/corpus/docs). */
export const INCOMING_PLAN: IncomingPlan[] = [
  // Completed months ago.
  {
    id: '003',
    scan: true,
    receivedDaysAgo: 118,
    steps: [
      toLeader('Kính trình Chủ tịch tờ trình của Sở Tài chính.'),
      { direct: { lead: { unit: 'economy' }, deadline: -100, comment: 'Giao Phòng Kinh tế tham mưu ý kiến trả lời.' } },
      { start: 'officer' },
      { complete: 'officer', comment: 'Đã tham mưu văn bản trả lời Sở Tài chính.' },
    ],
  },
  {
    id: '013',
    receivedDaysAgo: 104,
    steps: [
      toLeader('Kính trình Chủ tịch biên bản của UBND huyện Tân Phước.'),
      { direct: { lead: { unit: 'internal' }, informed: [{ unit: 'general' }], deadline: -80, comment: 'Phòng Nội chính theo dõi, tổng hợp.' } },
      { start: 'internalOfficer' },
      { complete: 'internalOfficer', comment: 'Đã tổng hợp vào báo cáo quý.' },
    ],
  },
  {
    id: '004',
    receivedDaysAgo: 90,
    steps: [
      toLeader('Kính trình Chủ tịch báo cáo của Sở Tài chính.'),
      { direct: { lead: { person: 'officer' }, cooperating: [{ unit: 'general' }], deadline: -70, comment: 'Đồng chí Nhung chủ trì, Phòng Tổng hợp phối hợp.' } },
      { start: 'officer' },
      { note: 'officer', progress: 60, comment: 'Đã làm việc với Sở Tài chính.' },
      { complete: 'officer', comment: 'Đã báo cáo kết quả.' },
    ],
  },
  {
    id: '005',
    receivedDaysAgo: 75,
    steps: [
      toLeader('Kính trình Chủ tịch quyết định của Sở Nội vụ.'),
      { direct: { lead: { unit: 'internal' }, deadline: -50, comment: 'Phòng Nội chính nghiên cứu, thực hiện.' } },
      { complete: 'internalOfficer', comment: 'Đã triển khai đến các đơn vị.' },
    ],
  },
  // Secret (Mật): handed on by name, read under a grant.
  {
    id: '010',
    receivedDaysAgo: 40,
    steps: [
      toLeader('Kính trình Chủ tịch thông báo (Mật).'),
      { direct: { lead: { person: 'officer' }, deadline: 12, comment: 'Đồng chí Nhung nghiên cứu, đề xuất; giữ bí mật theo quy định.' } },
      { grant: 'officer' },
      { start: 'officer' },
    ],
  },
  { id: '011', receivedDaysAgo: 3, steps: [toLeader('Kính trình Chủ tịch tờ trình (Mật) của Sở Tài nguyên và Môi trường.')] },
  // In progress, on time.
  {
    id: '006',
    receivedDaysAgo: 30,
    steps: [
      toLeader('Kính trình Chủ tịch hướng dẫn của Sở Nội vụ.'),
      { direct: { lead: { unit: 'internal' }, cooperating: [{ unit: 'office' }], deadline: 10, comment: 'Phòng Nội chính chủ trì, Văn phòng phối hợp.' } },
      { start: 'internalOfficer' },
      { note: 'internalOfficer', progress: 40, comment: 'Đang rà soát danh sách.' },
    ],
  },
  // An extension asked for: the leader decides.
  {
    id: '023',
    receivedDaysAgo: 26,
    steps: [
      toLeader('Kính trình Chủ tịch báo cáo của UBND xã Phước Thạnh.'),
      { direct: { lead: { unit: 'economy' }, deadline: 2, comment: 'Phòng Kinh tế kiểm tra, báo cáo.' } },
      { reassign: 'officer', by: 'economyHead' },
      { start: 'officer' },
      { extension: 'officer', days: 14, comment: 'Cần thêm thời gian khảo sát thực địa.' },
    ],
  },
  // Overdue.
  {
    id: '012',
    scan: true,
    receivedDaysAgo: 24,
    steps: [
      toLeader('Kính trình Chủ tịch quyết định của UBND huyện Tân Phước.'),
      { direct: { lead: { unit: 'economy' }, deadline: -5, comment: 'Phòng Kinh tế tham mưu, báo cáo trước hạn.' } },
      { start: 'officer' },
      { note: 'officer', progress: 50, comment: 'Đang chờ số liệu của huyện.' },
    ],
  },
  {
    id: '022',
    scan: true,
    receivedDaysAgo: 18,
    steps: [
      toLeader('Kính trình Chủ tịch biên bản của UBND xã Phước Thạnh.'),
      { direct: { lead: { unit: 'economy' }, informed: [{ unit: 'internal' }], deadline: -2, comment: 'Phòng Kinh tế xử lý.' } },
      { reassign: 'economyOfficer', by: 'economyHead' },
    ],
  },
  // Assigned, not started: due soon and later.
  {
    id: '016',
    scan: true,
    receivedDaysAgo: 6,
    steps: [
      toLeader('Kính trình Chủ tịch công văn khẩn của Sở Y tế.'),
      { direct: { lead: { unit: 'economy' }, cooperating: [{ unit: 'general' }], deadline: 2, comment: 'Khẩn: Phòng Kinh tế chủ trì, Phòng Tổng hợp phối hợp.' } },
    ],
  },
  {
    id: '008',
    receivedDaysAgo: 5,
    steps: [
      toLeader('Kính trình Chủ tịch công văn của Sở Khoa học và Công nghệ.'),
      { direct: { lead: { person: 'officer' }, informed: [{ person: 'economyHead' }], deadline: 9, comment: 'Đồng chí Nhung tham mưu văn bản trả lời.' } },
    ],
  },
  {
    id: '009',
    receivedDaysAgo: 4,
    steps: [
      toLeader('Kính trình Chủ tịch giấy mời của Sở Khoa học và Công nghệ.'),
      { direct: { lead: { unit: 'general' }, deadline: 7, comment: 'Phòng Tổng hợp cử người dự họp.' } },
    ],
  },
  // Returned to the clerk by the leader.
  {
    id: '017',
    receivedDaysAgo: 8,
    steps: [toLeader('Kính trình Chủ tịch báo cáo của Sở Y tế.'), { return: 'Đề nghị Văn phòng bổ sung ý kiến của Sở Tài chính rồi trình lại.' }],
  },
  // Awaiting direction: the leader's inbox (the most urgent first).
  { id: '015', receivedDaysAgo: 1, steps: [toLeader('Kính trình Chủ tịch công văn hỏa tốc của Sở Giáo dục và Đào tạo.')] },
  { id: '021', receivedDaysAgo: 1, steps: [toLeader('Kính trình Chủ tịch giấy mời thượng khẩn.')] },
  { id: '014', receivedDaysAgo: 2, steps: [toLeader('Kính trình Chủ tịch kế hoạch của Sở Giáo dục và Đào tạo.')] },
  // Registered today, still to be put forward: the clerk's own work.
  { id: '020', receivedDaysAgo: 0, steps: [] },
]

const URGENCY: Record<string, string> = { Khẩn: '1', 'Thượng khẩn': '2', 'Hỏa tốc': '3' }

/** The routing recipient a plan names: a unit or a person of the demo. */
function recipient(ctx: DemoContext, to: Recipient) {
  return 'unit' in to ? { departmentId: ctx.units[to.unit].id } : { userId: ctx.people[to.person].id }
}

async function register(ctx: DemoContext, plan: IncomingPlan, meta: CorpusMeta, dir: string): Promise<string> {
  const file = path.join(dir, `${meta.id}${plan.scan ? '.scan' : ''}.pdf`)
  const fields: Record<string, string> = {
    issuer: meta.issuer,
    numberNotation: meta.number_notation,
    documentDate: meta.issued_date,
    kind: meta.kind,
    subject: meta.subject,
    signer: meta.signer_name,
    signerPosition: meta.signer_title,
    urgency: URGENCY[meta.urgency ?? ''] ?? '0',
    secrecy: meta.secrecy === 'Mật' ? '1' : '0',
    receivedDate: dayFromToday(-plan.receivedDaysAgo),
  }
  const created = await ctx.upload<{ id: string }>('clerk', 'POST', '/api/incoming', [
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', fileName: `${meta.number_notation.replace(/\//g, '-')}.pdf`, contentType: 'application/pdf', data: await readFile(file) },
  ])
  return created.id
}

/** Who takes a plan step, and the routing call. */
async function take(ctx: DemoContext, id: string, step: Step): Promise<void> {
  const act = (who: DemoWho, action: string, body: object) => ctx.api(who, 'POST', `/api/documents/${id}/routing/${action}`, body)
  if ('submit' in step) return void (await act('clerk', 'submit', { leaderId: ctx.people.leader.id, comment: step.submit }))
  if ('direct' in step) {
    const d = step.direct
    return void (await act('leader', 'direct', {
      lead: recipient(ctx, d.lead),
      cooperating: (d.cooperating ?? []).map((to) => recipient(ctx, to)),
      informed: (d.informed ?? []).map((to) => recipient(ctx, to)),
      deadline: dayFromToday(d.deadline),
      comment: d.comment,
    }))
  }
  if ('return' in step) return void (await act('leader', 'return', { comment: step.return }))
  if ('reassign' in step)
    return void (await act(step.by, 'reassign', {
      userId: ctx.people[step.reassign].id,
      ...(step.deadline !== undefined ? { deadline: dayFromToday(step.deadline) } : {}),
    }))
  if ('start' in step) return void (await act(step.start, 'start', {}))
  if ('note' in step) return void (await act(step.note, 'note', { progress: step.progress, comment: step.comment }))
  if ('extension' in step)
    return void (await act(step.extension, 'request-extension', { deadline: dayFromToday(step.days), comment: step.comment }))
  if ('complete' in step) return void (await act(step.complete, 'complete', { comment: step.comment }))
  if ('grant' in step) return void (await ctx.api('leader', 'POST', `/api/documents/${id}/grants`, { userId: ctx.people[step.grant].id }))
}

export async function seedIncoming(ctx: DemoContext): Promise<void> {
  const dir = ctx.corpusDir
  if (!dir) {
    ctx.say('Incoming documents: ../shared/corpus is not here, none registered.')
    return
  }
  const existing = await ctx.api<{ items: unknown[] }>('clerk', 'GET', '/api/documents?direction=incoming&limit=1')
  if (existing.items.length > 0) {
    ctx.say('Incoming documents: registered already.')
    return
  }
  // Registered in the order they arrived, so số đến follow the dates received.
  const plans = [...INCOMING_PLAN].sort((a, b) => b.receivedDaysAgo - a.receivedDaysAgo)
  for (const plan of plans) {
    const id = await register(ctx, plan, corpusMeta(dir, plan.id), dir)
    for (const step of plan.steps) await take(ctx, id, step)
  }
  const scans = plans.filter((plan) => plan.scan).length
  ctx.say(`Incoming documents: ${plans.length} registered with their số đến (${scans} scanned, read by OCR), in every state of handling.`)
}
