import type { documentFiles, documents } from '../../platform/db/schema/index.ts'
import type { RecordFileRow } from '../files/record-files.repository.ts'
import { docCodeOf, maintenanceCode, vietnamIsoTime } from '../records-policy.ts'
import { el, field, type XmlElement } from './xml.ts'

type DocumentRow = typeof documents.$inferSelect
type FileRow = typeof documentFiles.$inferSelect

/** One document of the package and the stored file that represents it in rep1/data. */
export interface PackageItem {
  ordinal: number
  document: DocumentRow
  file: FileRow
  /** Path inside the package, e.g. representations/rep1/data/000.00.00.H99.2025.01.VP.0000001.pdf */
  path: string
  /** Its per-document metadata file (TT 05/2025 fields). */
  metadataPath: string
}

/** A file written into the package: its path, bytes' SHA-256, size and media type. */
export interface PackedFile {
  path: string
  sha256: string
  size: number
  mimeType: string
  created: Date
}

const MODE = (file: RecordFileRow) => String(file.mode).padStart(2, '0')
/** confidenceLevel: 01 gốc điện tử, 02 số hóa (a scan: no text layer, OCR rendition), 03 hỗn hợp. */
const confidence = (item: PackageItem) => (item.file.role === 'searchable' ? '02' : '01')
const languageCode = (language: string) => (/anh|english|^en/i.test(language) ? '02' : '01')

/** The hồ sơ's fields under their TT 05/2025 names (metadata/descriptive/HoSo.xml). */
export function recordFileFields(file: RecordFileRow, organName: string, items: PackageItem[]): XmlElement {
  const pages = items.reduce((sum, item) => sum + (item.document.pageCount ?? item.file.pageCount ?? 0), 0)
  return el(
    'HoSo',
    { xmlns: 'urn:vanthu:tt05-2025:hoso' },
    field('fileCode', file.fileCode),
    field('organName', organName),
    field('title', file.title),
    field('maintenance', maintenanceCode({ permanent: file.permanent, years: file.retentionYears })),
    field('mode', MODE(file)),
    field('language', languageCode(file.language)),
    field('startDate', file.startDate),
    field('endDate', file.endDate),
    field('keyword', file.keywords),
    field('totalDoc', items.length),
    field('numberOfPaper', file.pageCount ?? pages),
    field('numberOfPage', pages),
    field('format', '01'),
    field('inforSign', file.notation),
    field('confidenceLevel', items.some((item) => confidence(item) === '02') ? (items.every((i) => confidence(i) === '02') ? '02' : '03') : '01'),
    field('description', file.description ?? file.notes),
  )
}

/** One document's fields under their TT 05/2025 names. */
export function documentFields(file: RecordFileRow, item: PackageItem): XmlElement {
  const d = item.document
  return el(
    'VanBan',
    { xmlns: 'urn:vanthu:tt05-2025:vanban' },
    field('docCode', docCodeOf(file.fileCode, item.ordinal)),
    field('fileCode', file.fileCode),
    field('docOrdinal', item.ordinal),
    field('typeName', d.kind ?? 'Công văn'),
    field('codeNumber', d.codeNumber),
    field('codeNotation', d.codeNotation),
    field('issuedDate', d.issuedDate),
    field('organName', d.issuerName),
    field('subject', d.subject),
    field('language', languageCode(d.language)),
    field('numberOfPage', d.pageCount ?? item.file.pageCount),
    field('inforSign', d.signerName ? `${d.signerPosition ?? ''} ${d.signerName}`.trim() : null),
    field('keyword', null),
    field('mode', MODE(file)),
    field('confidenceLevel', confidence(item)),
    field('autograph', item.file.signatureCount > 0 ? 'Chữ ký số' : null),
    field('format', '01'),
    field('description', d.description),
  )
}

/** EAD3: the hồ sơ as a file-level description with one item per document. */
export function eadDocument(file: RecordFileRow, organName: string, items: PackageItem[], now: Date): XmlElement {
  return el(
    'ead',
    { xmlns: 'http://ead3.archivists.org/schema/', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:schemaLocation': 'http://ead3.archivists.org/schema/ https://www.loc.gov/ead/ead3.xsd' },
    el(
      'control',
      {},
      el('recordid', {}, file.fileCode),
      el('filedesc', {}, el('titlestmt', {}, el('titleproper', {}, file.title))),
      el('maintenancestatus', { value: 'new' }),
      el('maintenanceagency', {}, el('agencyname', {}, organName)),
      el(
        'maintenancehistory',
        {},
        el('maintenanceevent', {}, el('eventtype', { value: 'created' }), el('eventdatetime', { standarddatetime: vietnamIsoTime(now) }, vietnamIsoTime(now)), el('agenttype', { value: 'machine' }), el('agent', {}, 'vanthu')),
      ),
    ),
    el(
      'archdesc',
      { level: 'file' },
      el(
        'did',
        {},
        el('unitid', {}, file.fileCode),
        el('unittitle', {}, file.title),
        file.startDate && file.endDate
          ? el('unitdatestructured', {}, el('daterange', {}, el('fromdate', { standarddate: file.startDate }, file.startDate), el('todate', { standarddate: file.endDate }, file.endDate)))
          : null,
        el('physdescstructured', { coverage: 'whole', physdescstructuredtype: 'materialtype' }, el('quantity', {}, String(items.length)), el('unittype', {}, 'văn bản')),
        el('langmaterial', {}, el('language', { langcode: 'vie' }, file.language)),
      ),
      el('accessrestrict', {}, el('p', {}, ['Công khai', 'Sử dụng có điều kiện', 'Mật'][file.mode - 1] ?? '')),
      el('appraisal', {}, el('p', {}, file.permanent ? 'Vĩnh viễn' : `${file.retentionYears} năm`)),
      el(
        'dsc',
        {},
        ...items.map((item) =>
          el(
            'c',
            { level: 'item', id: `doc-${item.ordinal}` },
            el(
              'did',
              {},
              el('unitid', {}, docCodeOf(file.fileCode, item.ordinal)),
              el('unittitle', {}, [item.document.kind, item.document.subject].filter(Boolean).join(': ') || 'Văn bản'),
              item.document.issuedDate ? el('unitdate', { normal: item.document.issuedDate }, item.document.issuedDate) : null,
              el('dao', { daotype: 'borndigital', href: item.path.replace(/^[^/]+\//, '') }),
            ),
          ),
        ),
      ),
    ),
  )
}

/** PREMIS 3: one object per data file with its SHA-256, the events that made the package, the agent. */
export function premisDocument(file: RecordFileRow, packed: PackedFile[], now: Date): XmlElement {
  const agent = el('linkingAgentIdentifier', {}, el('linkingAgentIdentifierType', {}, 'local'), el('linkingAgentIdentifierValue', {}, 'vanthu'))
  return el(
    'premis',
    { xmlns: 'http://www.loc.gov/premis/v3', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:schemaLocation': 'http://www.loc.gov/premis/v3 https://www.loc.gov/standards/premis/premis.xsd', version: '3.0' },
    ...packed.map((p) =>
      el(
        'object',
        { 'xsi:type': 'file' },
        el('objectIdentifier', {}, el('objectIdentifierType', {}, 'filepath'), el('objectIdentifierValue', {}, p.path)),
        el(
          'objectCharacteristics',
          {},
          el('fixity', {}, el('messageDigestAlgorithm', {}, 'SHA-256'), el('messageDigest', {}, p.sha256), el('messageDigestOriginator', {}, 'vanthu')),
          el('size', {}, String(p.size)),
          el('format', {}, el('formatDesignation', {}, el('formatName', {}, p.mimeType))),
        ),
      ),
    ),
    el(
      'event',
      {},
      el('eventIdentifier', {}, el('eventIdentifierType', {}, 'local'), el('eventIdentifierValue', {}, `package-${file.id}-${now.getTime()}`)),
      el('eventType', {}, 'message digest calculation'),
      el('eventDateTime', {}, vietnamIsoTime(now)),
      el('eventDetailInformation', {}, el('eventDetail', {}, `SHA-256 of every data file re-computed while packaging ${file.fileCode} and equal to the value stored at ingest`)),
      el('eventOutcomeInformation', {}, el('eventOutcome', {}, 'success')),
      agent,
    ),
    el('agent', {}, el('agentIdentifier', {}, el('agentIdentifierType', {}, 'local'), el('agentIdentifierValue', {}, 'vanthu')), el('agentName', {}, 'vanthu'), el('agentType', {}, 'software')),
  )
}
