import { createHash } from 'node:crypto'
import { type Readable, Transform } from 'node:stream'
import type { Actor } from '../../access/actor.ts'
import { documentVisibility } from '../../access/policy.ts'
import { type AuditContext, appendAuditEvent } from '../../audit/audit.service.ts'
import type { Database } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import type { BlobStore } from '../../storage/blob-store.ts'
import { agencyOf, documentsOf, liveFilesOf, type RecordFileRow } from '../files/record-files.repository.ts'
import { loadRecordFile } from '../files/record-files.service.ts'
import { docCodeOf, vietnamIsoTime } from '../records-policy.ts'
import { documentFields, eadDocument, type PackageItem, type PackedFile, premisDocument, recordFileFields } from './package-metadata.ts'
import { el, type XmlElement, xmlDocument } from './xml.ts'

export interface PackageDeps {
  database: Database
  blobStore: BlobStore
}

/** OAIS package type: SIP to send elsewhere, AIP when the package stays in this system (records-policy 7). */
export type PackageType = 'SIP' | 'AIP'

const PROFILE = 'https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml'
const NS = {
  xmlns: 'http://www.loc.gov/METS/',
  'xmlns:csip': 'https://DILCIS.eu/XML/METS/CSIPExtensionMETS',
  'xmlns:xlink': 'http://www.w3.org/1999/xlink',
  'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
  'xsi:schemaLocation': 'http://www.loc.gov/METS/ https://www.loc.gov/standards/mets/mets.xsd http://www.w3.org/1999/xlink https://www.loc.gov/standards/mets/xlink.xsd https://DILCIS.eu/XML/METS/CSIPExtensionMETS https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd',
}

/** The package's folder name: the file code, made safe for a path. */
export function packageIdOf(file: RecordFileRow): string {
  return file.fileCode.replace(/[^\p{L}\p{N}._-]/gu, '_')
}

/** The file that represents a document in the archive: its newest signed PDF, else its original PDF, else its OCR rendition. */
function representativeFile(files: Awaited<ReturnType<typeof liveFilesOf>>) {
  const pdfs = files.filter((f) => f.mediaType === 'application/pdf')
  return pdfs.filter((f) => f.role === 'signed').at(-1) ?? pdfs.find((f) => f.role === 'original') ?? pdfs.find((f) => f.role === 'searchable') ?? files[0]
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

function fileEntry(id: string, packed: PackedFile, href: string): XmlElement {
  return el(
    'file',
    { ID: id, MIMETYPE: packed.mimeType, SIZE: packed.size, CREATED: vietnamIsoTime(packed.created), CHECKSUM: packed.sha256, CHECKSUMTYPE: 'SHA-256' },
    el('FLocat', { LOCTYPE: 'URL', 'xlink:type': 'simple', 'xlink:href': href }),
  )
}

function mdRef(packed: PackedFile, href: string, mdType: string, other?: string): XmlElement {
  return el('mdRef', {
    LOCTYPE: 'URL',
    'xlink:type': 'simple',
    'xlink:href': href,
    MDTYPE: mdType,
    ...(other ? { OTHERMDTYPE: other } : {}),
    MIMETYPE: packed.mimeType,
    SIZE: packed.size,
    CREATED: vietnamIsoTime(packed.created),
    CHECKSUM: packed.sha256,
    CHECKSUMTYPE: 'SHA-256',
  })
}

function metsHeader(now: Date, type: PackageType): XmlElement {
  return el(
    'metsHdr',
    { CREATEDATE: vietnamIsoTime(now), RECORDSTATUS: 'NEW', 'csip:OAISPACKAGETYPE': type },
    el('agent', { ROLE: 'CREATOR', TYPE: 'OTHER', OTHERTYPE: 'SOFTWARE' }, el('name', {}, 'vanthu'), el('note', { 'csip:NOTETYPE': 'SOFTWARE VERSION' }, '0.1.0')),
  )
}

const metsRoot = (objId: string, label: string) => ({
  ...NS,
  OBJID: objId,
  LABEL: label,
  TYPE: 'Textual works – Digital',
  'csip:CONTENTINFORMATIONTYPE': 'OTHER',
  'csip:OTHERCONTENTINFORMATIONTYPE': 'TT 05/2025/TT-BNV',
  PROFILE,
})

/** Verifies while streaming: the bytes must hash to what was stored, else the package is cut with an error. */
function verifying(expected: string, name: string): Transform {
  const hash = createHash('sha256')
  return new Transform({
    transform(chunk, _encoding, callback) {
      hash.update(chunk)
      callback(null, chunk)
    },
    flush(callback) {
      const actual = hash.digest('hex')
      callback(actual === expected ? null : new Error(`${name}: stored bytes hash to ${actual}, expected ${expected}`))
    },
  })
}

interface PlannedPackage {
  file: RecordFileRow
  items: PackageItem[]
  /** Small files made here, in the order they go into the zip, then the data files, then the two METS. */
  entries: { path: string; bytes?: Buffer; item?: PackageItem }[]
}

/** Everything about one hồ sơ's package except the data bytes, which are streamed. */
async function planPackage(deps: PackageDeps, actor: Actor, file: RecordFileRow, type: PackageType, now: Date): Promise<PlannedPackage> {
  const agency = await agencyOf(deps.database.db, file.agencyId)
  const all = await documentsOf(deps.database.db, file.id)
  const visible = new Set((await documentsOf(deps.database.db, file.id, documentVisibility(actor, 'content'))).map((row) => row.document.id))
  if (all.some((row) => !visible.has(row.document.id))) throw new AppError('forbidden', { detail: 'The hồ sơ holds documents you may not open.' })
  const stored = await liveFilesOf(deps.database.db, all.map((row) => row.document.id))
  const id = packageIdOf(file)
  const items: PackageItem[] = []
  for (const [index, row] of all.entries()) {
    const ordinal = row.filed.ordinal ?? index + 1
    const chosen = representativeFile(stored.filter((f) => f.documentId === row.document.id))
    if (!chosen) continue
    const ext = chosen.mediaType === 'application/pdf' ? 'pdf' : (chosen.fileName.split('.').pop() ?? 'bin')
    const code = docCodeOf(file.fileCode, ordinal)
    items.push({ ordinal, document: row.document, file: chosen, path: `${id}/representations/rep1/data/${code}.${ext}`, metadataPath: `${id}/representations/rep1/metadata/descriptive/${code}.xml` })
  }
  const small = (path: string, bytes: Buffer, mimeType = 'application/xml'): PackedFile & { bytes: Buffer } => ({ path, bytes, sha256: sha256(bytes), size: bytes.length, mimeType, created: now })
  const docMeta = items.map((item) => small(item.metadataPath, xmlDocument(documentFields(file, item))))
  const data: PackedFile[] = items.map((item) => ({ path: item.path, sha256: item.file.sha256, size: item.file.size, mimeType: item.file.mediaType, created: item.file.createdAt }))
  const ead = small(`${id}/metadata/descriptive/EAD.xml`, xmlDocument(eadDocument(file, agency.name, items, now)))
  const hoSo = small(`${id}/metadata/descriptive/HoSo.xml`, xmlDocument(recordFileFields(file, agency.name, items)))
  const premis = small(`${id}/metadata/preservation/PREMIS.xml`, xmlDocument(premisDocument(file, data, now)))
  const schemasNote = small(
    `${id}/schemas/README.txt`,
    Buffer.from(
      'The XML schemas of this package are referenced by xsi:schemaLocation (METS 1.12, E-ARK CSIP extension, EAD3, PREMIS 3).\n' +
        'They are not bundled: vanthu does not redistribute them. HoSo.xml and the per-document files use the field names of TT 05/2025/TT-BNV.\n',
    ),
    'text/plain',
  )
  const rel = (p: PackedFile, base: string) => p.path.slice(base.length + 1)
  const repBase = `${id}/representations/rep1`
  const repMets = small(
    `${repBase}/METS.xml`,
    xmlDocument(
      el(
        'mets',
        metsRoot(`${id}-rep1`, `${file.title} — rep1`),
        metsHeader(now, type),
        ...docMeta.map((meta, i) => el('dmdSec', { ID: `dmd-doc-${items[i]!.ordinal}`, CREATED: vietnamIsoTime(now), STATUS: 'CURRENT' }, mdRef(meta, rel(meta, repBase), 'OTHER', 'TT05-2025-VanBan'))),
        el('fileSec', { ID: 'filesec-rep1' }, el('fileGrp', { ID: 'fg-data', USE: 'Data' }, ...data.map((p, i) => fileEntry(`file-doc-${items[i]!.ordinal}`, p, rel(p, repBase))))),
        el(
          'structMap',
          { ID: 'structmap-rep1', TYPE: 'PHYSICAL', LABEL: 'CSIP' },
          el(
            'div',
            { ID: 'div-rep1', LABEL: `${id}-rep1` },
            el('div', { ID: 'div-rep1-metadata', LABEL: 'Metadata', DMDID: items.map((item) => `dmd-doc-${item.ordinal}`).join(' ') || undefined }),
            el('div', { ID: 'div-rep1-data', LABEL: 'Data' }, ...items.map((item) => el('fptr', { FILEID: `file-doc-${item.ordinal}` }))),
          ),
        ),
      ),
    ),
  )
  const rootMets = small(
    `${id}/METS.xml`,
    xmlDocument(
      el(
        'mets',
        metsRoot(id, file.title),
        metsHeader(now, type),
        el('dmdSec', { ID: 'dmd-ead', CREATED: vietnamIsoTime(now), STATUS: 'CURRENT' }, mdRef(ead, rel(ead, id), 'EAD')),
        el('dmdSec', { ID: 'dmd-hoso', CREATED: vietnamIsoTime(now), STATUS: 'CURRENT' }, mdRef(hoSo, rel(hoSo, id), 'OTHER', 'TT05-2025-HoSo')),
        el('amdSec', { ID: 'amd' }, el('digiprovMD', { ID: 'digiprov-premis', STATUS: 'CURRENT' }, mdRef(premis, rel(premis, id), 'PREMIS'))),
        el(
          'fileSec',
          { ID: 'filesec' },
          el('fileGrp', { ID: 'fg-schemas', USE: 'Schemas' }, fileEntry('file-schemas-readme', schemasNote, rel(schemasNote, id))),
          el('fileGrp', { ID: 'fg-rep1', USE: 'Representations/rep1' }, fileEntry('file-rep1-mets', repMets, rel(repMets, id))),
        ),
        el(
          'structMap',
          { ID: 'structmap', TYPE: 'PHYSICAL', LABEL: 'CSIP' },
          el(
            'div',
            { ID: 'div-root', LABEL: id },
            el('div', { ID: 'div-metadata', LABEL: 'Metadata', DMDID: 'dmd-ead dmd-hoso', ADMID: 'digiprov-premis' }),
            el('div', { ID: 'div-schemas', LABEL: 'Schemas' }, el('fptr', { FILEID: 'file-schemas-readme' })),
            el('div', { ID: 'div-rep1', LABEL: 'Representations/rep1' }, el('mptr', { LOCTYPE: 'URL', 'xlink:type': 'simple', 'xlink:href': rel(repMets, id) })),
          ),
        ),
      ),
    ),
  )
  return {
    file,
    items,
    entries: [
      ...[ead, hoSo, premis, schemasNote, ...docMeta].map((p) => ({ path: p.path, bytes: p.bytes })),
      ...items.map((item) => ({ path: item.path, item })),
      { path: repMets.path, bytes: repMets.bytes },
      { path: rootMets.path, bytes: rootMets.bytes },
    ],
  }
}

/**
 * The E-ARK CSIP package of hồ sơ as a zip stream (one folder per hồ sơ): METS.xml with
 * csip:OAISPACKAGETYPE, EAD and the TT 05/2025 hồ sơ fields, PREMIS, rep1 with its own METS, the data
 * files named {mã hồ sơ}.{ordinal} and a metadata file per document; SHA-256 of every file in the METS.
 * Data bytes are streamed from storage and checked against their stored hash on the way. Audited.
 */
export async function exportPackage(deps: PackageDeps, actor: Actor, recordFileIds: string[], context: AuditContext, type: PackageType = 'SIP'): Promise<{ stream: Readable; name: string }> {
  const now = new Date()
  const files: RecordFileRow[] = []
  for (const id of recordFileIds) files.push(await loadRecordFile(deps.database.db, actor, id))
  if (files.some((file) => file.status === 'destroyed')) throw new AppError('record-destroyed')
  if (files.some((file) => file.status !== 'closed' && file.status !== 'transferred')) throw new AppError('record-file-state', { detail: 'Only closed or transferred hồ sơ are packaged.' })
  const plans: PlannedPackage[] = []
  for (const file of files) plans.push(await planPackage(deps, actor, file, type, now))
  await deps.database.db.transaction(async (tx) => {
    for (const plan of plans) {
      await appendAuditEvent(tx, context, { action: 'record-file.package-exported', targetType: 'record-file', targetId: plan.file.id, details: { fileCode: plan.file.fileCode, type, documents: plan.items.length } })
    }
  })
  // Loaded on first export: the zip writer and its streams are ~80 modules that a start-up need not read.
  const { default: archiver } = await import('archiver')
  const archive = archiver('zip', { zlib: { level: 6 } })
  const append = async () => {
    for (const plan of plans) {
      for (const entry of plan.entries) {
        if (entry.bytes) archive.append(entry.bytes, { name: entry.path, date: now })
        else {
          const item = entry.item!
          const body = (await deps.blobStore.get(item.file.blobKey)).pipe(verifying(item.file.sha256, entry.path))
          // One data stream open at a time: wait until the archive has written this entry.
          const written = new Promise<void>((resolve, reject) => {
            archive.once('entry', () => resolve())
            body.once('error', reject)
          })
          archive.append(body, { name: entry.path, date: item.file.createdAt, store: item.file.mediaType === 'application/pdf' })
          await written
        }
      }
    }
    await archive.finalize()
  }
  append().catch((error: unknown) => archive.destroy(error as Error))
  const name = plans.length === 1 ? `${packageIdOf(plans[0]!.file)}.zip` : `nop-luu-${now.toISOString().slice(0, 10)}.zip`
  return { stream: archive, name }
}
