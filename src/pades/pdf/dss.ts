import { deflateSync } from 'node:zlib'
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef } from 'pdf-lib'
import { type PdfUpdateSession, withUpdateSession } from './pdf-update.ts'
import { decodeStreamBytes } from './stream-decode.ts'

/** Validation material for PAdES B-LT, each item DER. */
export interface DssMaterial {
  certs?: Uint8Array[]
  crls?: Uint8Array[]
  ocsps?: Uint8Array[]
}

const KEYS = { certs: 'Certs', crls: 'CRLs', ocsps: 'OCSPs' } as const

/**
 * Appends one incremental update that adds the items to the catalog's /DSS (Document Security
 * Store), creating it if needed. Earlier signatures stay valid: only new objects, the DSS and the
 * catalog are written. An item already in the DSS, or given twice, is stored once.
 */
export function appendDss(pdfBytes: Uint8Array, material: DssMaterial): Promise<Uint8Array> {
  return withUpdateSession(pdfBytes, (session) => {
    const { dss, commit } = documentSecurityStore(session)
    for (const [field, key] of Object.entries(KEYS) as [keyof DssMaterial, string][]) {
      const existing = dss.lookup(PDFName.of(key))
      const array = existing instanceof PDFArray ? existing : session.context.obj([])
      const items = unique(material[field] ?? [], storedItems(session, array))
      if (items.length === 0) continue
      for (const der of items) array.push(embedStream(session, der))
      dss.set(PDFName.of(key), array)
    }
    commit()
    return session.write().bytes
  })
}

function documentSecurityStore(session: PdfUpdateSession): { dss: PDFDict; commit: () => void } {
  const rootRef = session.revision.root
  const catalog = session.context.lookup(rootRef, PDFDict)
  const raw = catalog.get(PDFName.of('DSS'))
  const found = session.context.lookup(raw)
  const dss = found instanceof PDFDict ? found : session.context.obj({ Type: 'DSS' })
  const commit = () => {
    if (raw instanceof PDFRef) return session.put(raw, dss)
    // A direct DSS, or none yet: it becomes an object of its own, referenced from a rewritten catalog.
    catalog.set(PDFName.of('DSS'), session.add(dss))
    session.put(rootRef, catalog)
  }
  return { dss, commit }
}

function embedStream(session: PdfUpdateSession, der: Uint8Array): PDFRef {
  const compressed = deflateSync(der)
  const dict = session.context.obj({ Filter: 'FlateDecode', Length: compressed.length })
  return session.add(PDFRawStream.of(dict, compressed))
}

/** Base64 of each item already in a DSS array, so that re-adding one is a no-op. */
function storedItems(session: PdfUpdateSession, array: PDFArray): Set<string> {
  const keys = new Set<string>()
  for (const item of array.asArray()) {
    const stream = session.context.lookup(item)
    if (stream instanceof PDFRawStream) keys.add(Buffer.from(decodeStreamBytes(stream)).toString('base64'))
  }
  return keys
}

function unique(items: Uint8Array[], seen: Set<string>): Uint8Array[] {
  return items.filter((item) => {
    const key = Buffer.from(item).toString('base64')
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
