/**
 * The search benchmark's synthetic archive: deterministic documents made from the shared corpus (its
 * paragraphs, with places, people, numbers and years varied) and from topic templates, so that the
 * vocabulary is wider than 24 texts while the corpus queries still find realistic neighbours. The same
 * seed and index always give the same document, on any machine: `documentAt(n)` needs no state.
 *
 * Shares are those of an agency's incoming register: about one in four documents a paper scan (OCR text
 * with its typical errors), one in fifty secret, most documents directed to a department and completed.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

export const CORPUS_DIR = path.resolve(import.meta.dirname, '../../../../shared/corpus')

/** Bumped whenever the generator's output changes: a kept database made by an older one is not reused. */
export const GENERATOR_VERSION = 1

/** mulberry32: small, fast, good enough for test data, and the same in every JavaScript engine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Random = () => number
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!
const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1))

/** The benchmark agency's departments (keys are stable names used by the loader). */
export const BENCH_DEPARTMENTS = [
  { key: 'vp', name: 'Văn phòng', abbreviation: 'VP' },
  { key: 'tc', name: 'Phòng Tài chính - Kế hoạch', abbreviation: 'TCKH' },
  { key: 'nv', name: 'Phòng Nội vụ', abbreviation: 'NV' },
  { key: 'kt', name: 'Phòng Kinh tế', abbreviation: 'KT' },
  { key: 'mt', name: 'Phòng Nông nghiệp và Môi trường', abbreviation: 'NNMT' },
  { key: 'vh', name: 'Phòng Văn hóa - Xã hội', abbreviation: 'VHXH' },
  { key: 'yt', name: 'Phòng Y tế', abbreviation: 'YT' },
  { key: 'gd', name: 'Phòng Giáo dục và Đào tạo', abbreviation: 'GDĐT' },
  { key: 'xd', name: 'Phòng Quản lý đô thị', abbreviation: 'QLĐT' },
  { key: 'tp', name: 'Phòng Tư pháp', abbreviation: 'TP' },
  { key: 'tt', name: 'Thanh tra', abbreviation: 'TTr' },
  { key: 'cds', name: 'Trung tâm Chuyển đổi số', abbreviation: 'CĐS' },
] as const
export type DepartmentKey = (typeof BENCH_DEPARTMENTS)[number]['key']

export interface BenchUser {
  key: string
  username: string
  fullName: string
  roles: ('clerk' | 'leader' | 'officer' | 'archivist')[]
  department: DepartmentKey
  clearance: number
}

/** Leaders, the Văn phòng clerks who register everything, and an officer per department. */
export const BENCH_USERS: readonly BenchUser[] = [
  { key: 'leader', username: 'lanhdao', fullName: 'Phạm Quốc Thắng', roles: ['leader'], department: 'vp', clearance: 3 },
  { key: 'deputy', username: 'phochutich', fullName: 'Lê Thị Thu Hà', roles: ['leader'], department: 'vp', clearance: 2 },
  { key: 'clerk', username: 'vanthu', fullName: 'Nguyễn Thị Mai', roles: ['clerk'], department: 'vp', clearance: 2 },
  { key: 'archivist', username: 'luutru', fullName: 'Hoàng Văn Bình', roles: ['archivist'], department: 'vp', clearance: 0 },
  ...BENCH_DEPARTMENTS.filter((d) => d.key !== 'vp').map(
    (d, i): BenchUser => ({
      key: `officer-${d.key}`,
      username: `chuyenvien${d.key}`,
      fullName: `${['Trần', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Phan', 'Võ'][i]} Văn ${['An', 'Bảo', 'Cường', 'Dũng', 'Đức', 'Giang', 'Hải', 'Khánh', 'Lâm', 'Minh', 'Nam'][i]}`,
      roles: ['officer'],
      department: d.key,
      clearance: i % 4 === 0 ? 1 : 0,
    }),
  ),
]

export interface SyntheticPage {
  text: string
  engine: 'text-layer' | 'ocr'
  /** OCR mean confidence as document_pages keeps it (a percentage); null for a text layer. */
  confidence: number | null
}

export interface SyntheticRecipient {
  department?: DepartmentKey
  user?: string
}

/** How far the document went in its handling (each step is one routing action of the write path). */
export interface SyntheticRouting {
  /** trình: the leader (user key) it was submitted to. */
  submittedTo: string
  /** chỉ đạo: lead, co-operating and informed recipients, with the deadline. */
  direction?: {
    lead: SyntheticRecipient
    cooperating: SyntheticRecipient[]
    informed: SyntheticRecipient[]
    deadline: string
  }
  /** The lead started / completed it (needs `direction`). */
  progress?: 'started' | 'completed'
}

export interface SyntheticDocument {
  n: number
  kind: string
  kindCode: string | null
  codeNumber: string
  codeNotation: string
  issuedDate: string
  arrivalDate: string
  issuerName: string
  subject: string
  signerName: string
  signerPosition: string
  urgency: number
  secrecy: number
  /** The file's name and whether it carries a digital signature (the signature sniffer's count). */
  fileName: string
  signed: boolean
  pages: SyntheticPage[]
  routing: SyntheticRouting | null
  /** Users (keys) the leader grants access to (secret documents; the registering clerk has it already). */
  grants: string[]
}

interface CorpusDocument {
  meta: { kind: string; kind_code: string | null; number_notation: string; issuer: string; subject: string; signer_name: string; signer_title: string }
  paragraphs: string[]
}

let corpusCache: CorpusDocument[] | undefined
function corpus(): CorpusDocument[] {
  if (corpusCache) return corpusCache
  const docs = path.join(CORPUS_DIR, 'docs')
  corpusCache = readdirSync(docs)
    .filter((name) => /^\d{3}\.txt$/.test(name))
    .sort()
    .map((name) => {
      const text = readFileSync(path.join(docs, name), 'utf8')
      const meta = JSON.parse(readFileSync(path.join(docs, name.replace('.txt', '.meta.json')), 'utf8'))
      // Body paragraphs: long enough to be prose (the header, motto and signer lines are short).
      const paragraphs = text.split('\n').filter((line) => line.length >= 60)
      return { meta, paragraphs }
    })
  return corpusCache
}

const PROVINCES = ['Hòa Giang', 'Bình Sơn', 'Đông Hải', 'Tây Nguyên', 'Lạc Thủy', 'Phú Xuân', 'An Lạc', 'Kim Sơn']
const COMMUNES = [
  'Phước Thạnh', 'Tân Phước', 'Hòa Bình', 'An Nhơn', 'Mỹ Lộc', 'Thạnh Phú', 'Long Hưng', 'Vĩnh Xuân',
  'Bình Minh', 'Đức Hòa', 'Quảng Trị', 'Hưng Đạo', 'Cẩm Phô', 'Kỳ Lân', 'Đồng Tâm', 'Sơn Trà',
  'Thủy Nguyên', 'Gia Lộc', 'Nghĩa Đàn', 'Yên Thế', 'Lập Thạch', 'Mường Lát', 'Bắc Hà', 'Trà Lĩnh',
]
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Cao', 'Tô', 'Đinh', 'Lưu']
const MIDDLE = ['Văn', 'Thị', 'Quốc', 'Minh', 'Thanh', 'Hoàng', 'Đức', 'Ngọc', 'Thu', 'Hữu', 'Kim', 'Xuân', 'Gia', 'Bảo', 'Diệu', 'Công']
const GIVEN = [
  'An', 'Anh', 'Bình', 'Châu', 'Chi', 'Cường', 'Dũng', 'Duyên', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hậu', 'Hiếu', 'Hoa', 'Hùng',
  'Hương', 'Huy', 'Khải', 'Khoa', 'Lan', 'Lâm', 'Linh', 'Long', 'Mai', 'Minh', 'Nam', 'Nga', 'Nguyệt', 'Nhung', 'Oanh', 'Phúc',
  'Phương', 'Quân', 'Quang', 'Quyên', 'Sơn', 'Tâm', 'Thắng', 'Thành', 'Thảo', 'Thịnh', 'Thủy', 'Trang', 'Trinh', 'Trung', 'Tuấn',
  'Tùng', 'Uyên', 'Vân', 'Việt', 'Vinh', 'Xuân', 'Yến',
]
const ISSUER_PATTERNS = [
  'Ủy ban nhân dân tỉnh {p}', 'Văn phòng Ủy ban nhân dân tỉnh {p}', 'Sở Tài chính tỉnh {p}', 'Sở Nội vụ tỉnh {p}',
  'Sở Y tế tỉnh {p}', 'Sở Giáo dục và Đào tạo tỉnh {p}', 'Sở Nông nghiệp và Môi trường tỉnh {p}', 'Sở Xây dựng tỉnh {p}',
  'Sở Khoa học và Công nghệ tỉnh {p}', 'Sở Tư pháp tỉnh {p}', 'Sở Văn hóa, Thể thao và Du lịch tỉnh {p}',
  'Công an tỉnh {p}', 'Bộ Chỉ huy Quân sự tỉnh {p}', 'Ủy ban nhân dân xã {c}', 'Ủy ban nhân dân phường {c}',
  'Hội đồng nhân dân tỉnh {p}', 'Kho bạc Nhà nước khu vực {p}', 'Bảo hiểm xã hội tỉnh {p}', 'Thanh tra tỉnh {p}',
]
const ISSUER_CODES: Record<string, string> = {
  'Ủy ban nhân dân tỉnh': 'UBND', 'Văn phòng Ủy ban nhân dân tỉnh': 'VP', 'Sở Tài chính': 'STC', 'Sở Nội vụ': 'SNV',
  'Sở Y tế': 'SYT', 'Sở Giáo dục và Đào tạo': 'SGD&ĐT', 'Sở Nông nghiệp và Môi trường': 'SNNMT', 'Sở Xây dựng': 'SXD',
  'Sở Khoa học và Công nghệ': 'SKHCN', 'Sở Tư pháp': 'STP', 'Sở Văn hóa, Thể thao và Du lịch': 'SVHTTDL',
  'Công an tỉnh': 'CAT', 'Bộ Chỉ huy Quân sự tỉnh': 'BCH', 'Ủy ban nhân dân xã': 'UBND', 'Ủy ban nhân dân phường': 'UBND',
  'Hội đồng nhân dân tỉnh': 'HĐND', 'Kho bạc Nhà nước khu vực': 'KBNN', 'Bảo hiểm xã hội tỉnh': 'BHXH', 'Thanh tra tỉnh': 'TTr',
}
/** Kinds with the weight of their share in an incoming register (công văn and quyết định dominate). */
const KINDS: readonly [string, string | null, number][] = [
  ['Công văn', null, 34], ['Quyết định', 'QĐ', 18], ['Thông báo', 'TB', 9], ['Kế hoạch', 'KH', 8], ['Báo cáo', 'BC', 8],
  ['Giấy mời', 'GM', 7], ['Tờ trình', 'TTr', 4], ['Hướng dẫn', 'HD', 3], ['Chỉ thị', 'CT', 2], ['Biên bản', 'BB', 2],
  ['Nghị quyết', 'NQ', 2], ['Công điện', 'CĐ', 1], ['Chương trình', 'CTr', 1], ['Đề án', 'ĐA', 1],
]
const KIND_TOTAL = KINDS.reduce((sum, [, , weight]) => sum + weight, 0)
const TOPICS = [
  'giải ngân vốn đầu tư công', 'dự toán ngân sách nhà nước', 'tuyển dụng công chức', 'chuyển đổi số', 'cải cách hành chính',
  'phòng, chống thiên tai', 'phòng, chống dịch bệnh', 'an toàn thực phẩm', 'bồi thường, giải phóng mặt bằng', 'xây dựng nông thôn mới',
  'giảm nghèo bền vững', 'bảo vệ môi trường', 'quản lý đất đai', 'an toàn giao thông', 'phòng cháy, chữa cháy',
  'tuyển sinh đầu cấp', 'bảo hiểm xã hội', 'thi đua, khen thưởng', 'kỷ luật, kỷ cương hành chính', 'dịch vụ công trực tuyến',
  'lưu trữ hồ sơ, tài liệu', 'quản lý văn bản và điều hành', 'chữ ký số', 'sắp xếp đơn vị hành chính', 'phát triển du lịch',
  'kiểm soát thủ tục hành chính', 'quốc phòng, an ninh', 'thanh tra, kiểm tra', 'tiếp công dân, giải quyết khiếu nại', 'y tế cơ sở',
  'giáo dục mầm non', 'nước sạch nông thôn', 'phòng, chống tham nhũng', 'quy hoạch xây dựng', 'trật tự xây dựng đô thị',
  'hỗ trợ doanh nghiệp nhỏ và vừa', 'chăn nuôi, thú y', 'trồng rừng', 'người có công với cách mạng', 'bình đẳng giới',
]
const ACTIONS = [
  'Về việc triển khai', 'Về việc tăng cường', 'V/v đôn đốc', 'V/v hướng dẫn', 'Về việc phê duyệt kế hoạch', 'Về việc giao chỉ tiêu',
  'V/v báo cáo tình hình', 'Về việc kiện toàn Ban chỉ đạo', 'Về việc ban hành Quy chế', 'V/v tổ chức hội nghị sơ kết',
  'V/v đề nghị cung cấp thông tin', 'Về việc điều chỉnh', 'V/v góp ý dự thảo', 'Về việc kiểm tra',
]
const SENTENCES = [
  'Để thực hiện tốt công tác {t} trên địa bàn {place}, {issuer} đề nghị các cơ quan, đơn vị khẩn trương triển khai các nội dung sau.',
  'Giao {dept} chủ trì, phối hợp với các đơn vị liên quan tham mưu {t}, báo cáo kết quả trước ngày {date}.',
  'Tính đến ngày {date}, toàn tỉnh đã thực hiện {pct}% kế hoạch về {t}, tổng kinh phí {money} tỷ đồng.',
  'Ông {person}, {position}, chịu trách nhiệm theo dõi, đôn đốc việc thực hiện {t} tại xã {commune}.',
  'Các đơn vị tổng hợp khó khăn, vướng mắc trong quá trình thực hiện {t}, gửi về {dept} trước ngày {date} để tổng hợp.',
  'Kết quả kiểm tra tại {commune} cho thấy công tác {t} còn một số hạn chế, nhất là trong khâu phối hợp giữa các ngành.',
  'Năm {year}, {issuer} đặt mục tiêu hoàn thành {pct}% chỉ tiêu {t} đã được Hội đồng nhân dân tỉnh giao.',
  'Bà {person}, {position}, báo cáo tình hình {t} và đề xuất giải pháp trong thời gian tới.',
  'Thời gian: {hour} giờ 00 ngày {date}; địa điểm: Hội trường {commune}; thành phần: đại diện các đơn vị liên quan.',
  'Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị liên hệ {person} (số điện thoại 0{phone}) để được hướng dẫn.',
]
const POSITIONS = ['Phó Chủ tịch Ủy ban nhân dân', 'Giám đốc Sở', 'Phó Giám đốc Sở', 'Chánh Văn phòng', 'Trưởng phòng', 'Chủ tịch Ủy ban nhân dân xã']

/** Typical OCR misreadings on a 300-dpi Vietnamese scan: a lost tone mark, a confused letter. */
function ocrNoise(random: Random, text: string): string {
  return text.replace(/[\p{L}\p{N}]+/gu, (word) => {
    const roll = random()
    if (roll < 0.03) return word.normalize('NFD').replace(/[\u0300-\u0309\u0323]/g, '').normalize('NFC')
    if (roll < 0.04) return word.replace(/[ơư]/g, (c) => (c === 'ơ' ? 'o' : 'u'))
    if (roll < 0.045) return word.replace(/l/g, '1')
    return word
  })
}

function isoDate(random: Random, from: number, to: number): string {
  const day = from + Math.floor(random() * (to - from))
  return new Date(day * 86_400_000).toISOString().slice(0, 10)
}
const DAY_2018 = Date.UTC(2018, 0, 1) / 86_400_000
const DAY_2026 = Date.UTC(2026, 5, 30) / 86_400_000

function person(random: Random): string {
  return `${pick(random, FAMILY)} ${pick(random, MIDDLE)} ${pick(random, GIVEN)}`
}

/** A corpus paragraph with its names, places and figures varied. */
function variedParagraph(random: Random, paragraph: string, province: string): string {
  return paragraph
    .replace(/Hòa Giang/g, province)
    .replace(/Phước Thạnh|Tân Phước/g, () => pick(random, COMMUNES))
    .replace(/\b(19|20)\d\d\b/g, () => String(between(random, 2018, 2026)))
    .replace(/\d+([.,]\d+)+/g, (number) => number.replace(/\d/g, () => String(between(random, 0, 9))))
}

function templateSentence(random: Random, issuer: string, province: string): string {
  const values: Record<string, () => string> = {
    t: () => pick(random, TOPICS),
    place: () => `tỉnh ${province}`,
    issuer: () => issuer,
    dept: () => pick(random, BENCH_DEPARTMENTS).name,
    date: () => {
      const [y, m, d] = isoDate(random, DAY_2018, DAY_2026).split('-')
      return `${Number(d)}/${Number(m)}/${y}`
    },
    pct: () => String(between(random, 12, 99)),
    money: () => `${between(random, 1, 999)},${between(random, 0, 9)}`,
    person: () => person(random),
    position: () => pick(random, POSITIONS),
    commune: () => pick(random, COMMUNES),
    year: () => String(between(random, 2018, 2026)),
    hour: () => String(between(random, 7, 16)),
    phone: () => String(between(random, 200_000_000, 999_999_999)),
  }
  return pick(random, SENTENCES).replace(/\{(\w+)\}/g, (_all, name: string) => values[name]!())
}

function kindOf(random: Random): [string, string | null] {
  let roll = random() * KIND_TOTAL
  for (const [name, code, weight] of KINDS) {
    roll -= weight
    if (roll < 0) return [name, code]
  }
  return ['Công văn', null]
}

/** Document `n` (0-based) of the archive made with `seed`. */
export function documentAt(n: number, seed = 1): SyntheticDocument {
  const random = rng(Math.imul(seed, 0x9e3779b1) ^ Math.imul(n + 1, 0x85ebca6b))
  const sources = corpus()
  const source = pick(random, sources)
  const province = random() < 0.6 ? 'Hòa Giang' : pick(random, PROVINCES)
  const issuerPattern = pick(random, ISSUER_PATTERNS)
  const issuerName = issuerPattern.replace('{p}', province).replace('{c}', pick(random, COMMUNES))
  const issuerCode = ISSUER_CODES[issuerPattern.replace(/ \{[pc]\}$/, '')] ?? 'UBND'
  const [kind, kindCode] = random() < 0.3 ? [source.meta.kind, source.meta.kind_code] : kindOf(random)
  const issuedDate = isoDate(random, DAY_2018, DAY_2026)
  const arrival = new Date(Date.parse(issuedDate) + between(random, 0, 6) * 86_400_000).toISOString().slice(0, 10)
  const topic = pick(random, TOPICS)
  const subject =
    random() < 0.35
      ? variedParagraph(random, source.meta.subject, province)
      : `${kindCode === null ? pick(random, ACTIONS.filter((a) => a.startsWith('V/v'))) : pick(random, ACTIONS).replace(/^V\/v/, 'Về việc')} ${topic}${random() < 0.5 ? ` trên địa bàn tỉnh ${province}` : ''}${random() < 0.6 ? ` năm ${issuedDate.slice(0, 4)}` : ''}`
  const scanned = random() < 0.25
  const pageCount = Math.min(6, 1 + Math.floor(-Math.log(1 - random()) * 2.1))
  const pages: SyntheticPage[] = []
  for (let p = 0; p < pageCount; p++) {
    const parts: string[] = []
    const paragraphs = between(random, 6, 11)
    for (let i = 0; i < paragraphs; i++) {
      // Mostly the source document's own paragraphs, some from the others, some from templates.
      const roll = random()
      const from = roll < 0.55 ? source : roll < 0.8 ? pick(random, sources) : undefined
      parts.push(
        from && from.paragraphs.length > 0
          ? variedParagraph(random, pick(random, from.paragraphs), province)
          : templateSentence(random, issuerName, province),
      )
    }
    const text = parts.join('\n')
    pages.push(
      scanned
        ? { text: ocrNoise(random, text), engine: 'ocr', confidence: Math.round((82 + random() * 15) * 10) / 10 }
        : { text, engine: 'text-layer', confidence: null },
    )
  }
  const secrecy = random() < 0.02 ? between(random, 1, 2) : 0
  const urgencyRoll = random()
  const urgency = urgencyRoll < 0.85 ? 0 : urgencyRoll < 0.95 ? 1 : urgencyRoll < 0.99 ? 2 : 3
  const codeNumber = String(between(random, 1, 4999)).padStart(2, '0')
  const year = issuedDate.slice(0, 4)
  const codeNotation =
    kind === 'Quyết định' && random() < 0.1
      ? `${year}/QĐ-${issuerCode}`
      : kindCode
        ? `${kindCode}-${issuerCode}`
        : `${issuerCode}-${pick(random, ['VP', 'KT', 'TH', 'NC', 'KGVX', 'NV'])}`
  return {
    n,
    kind,
    kindCode,
    codeNumber,
    codeNotation,
    issuedDate,
    arrivalDate: arrival,
    issuerName,
    subject: subject.slice(0, 500),
    signerName: person(random),
    signerPosition: pick(random, POSITIONS),
    urgency,
    secrecy,
    fileName: `${codeNumber}-${codeNotation.replace(/[/&]/g, '-')}.pdf`,
    signed: !scanned && random() < 0.5,
    pages,
    routing: routingOf(random, arrival, secrecy),
    // A secret document goes to the leader, who needs a grant to open it (and sometimes the deputy).
    grants: secrecy > 0 ? (random() < 0.5 ? ['leader', 'deputy'] : ['leader']) : [],
  }
}

function routingOf(random: Random, arrival: string, secrecy: number): SyntheticRouting | null {
  const roll = random()
  if (roll < 0.08) return null
  const submittedTo = random() < 0.8 || secrecy > 0 ? 'leader' : 'deputy'
  if (roll < 0.14) return { submittedTo }
  const departments = BENCH_DEPARTMENTS.filter((d) => d.key !== 'vp')
  const leadDepartment = pick(random, departments)
  const recipient = (): SyntheticRecipient =>
    random() < 0.85 ? { department: pick(random, departments).key } : { user: `officer-${pick(random, departments).key}` }
  const deadline = new Date(Date.parse(arrival) + between(random, 5, 30) * 86_400_000).toISOString().slice(0, 10)
  const lead: SyntheticRecipient =
    random() < 0.9 ? { department: leadDepartment.key } : { user: `officer-${leadDepartment.key}` }
  const others = (count: number) => {
    const list: SyntheticRecipient[] = []
    for (let i = 0; i < count; i++) {
      const next = recipient()
      const same = (r: SyntheticRecipient) => r.department === next.department && r.user === next.user
      if (!same(lead) && !list.some(same)) list.push(next)
    }
    return list
  }
  const progressRoll = random()
  return {
    submittedTo,
    direction: { lead, cooperating: others(between(random, 0, 2)), informed: others(between(random, 0, 1)), deadline },
    // Recipients of a secret document have no grant here, so they cannot open it to start work.
    ...(secrecy > 0
      ? {}
      : progressRoll < 0.7
        ? { progress: 'completed' as const }
        : progressRoll < 0.85
          ? { progress: 'started' as const }
          : {}),
  }
}
