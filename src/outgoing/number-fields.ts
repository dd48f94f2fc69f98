/**
 * The number and date on the document without breaking the leader's signature (notes: contract with
 * issue 12). Before the leader signs, an unsigned update adds empty text fields at the blanks of
 * "Số:      /QĐ-UBND" and "ngày    tháng    năm" (found from the text layer, or placed by the clerk) and
 * an empty signature field where the agency seal will go, locking those fields. The leader certifies
 * (DocMDP P=2, signing-rules.ts). At cấp số an update fills the fields — /V and an appearance in
 * embedded Liberation Serif — which P=2 allows; then the clerk seals into the prepared field.
 */
import {
  PDFContext,
  type PDFRef,
  type PDFStream,
  beginText,
  endText,
  moveText,
  setFillingRgbColor,
  setFontAndSize,
  showText,
} from 'pdf-lib'
import type { AuditContext } from '../audit/audit.service.ts'
import type { DocumentRow } from '../documents/documents.repository.ts'
import * as documentsRepository from '../documents/documents.repository.ts'
import {
  type AppearanceContext,
  addEmptyFields,
  concatBytes,
  fillTextFields,
  PdfUpdateError,
  type Rect,
  withUpdateSession,
  XrefReadError,
} from '../pades/pdf/index.ts'
import { nativeFlateStream } from '../pades/pdf/native-flate.ts'
import type { Executor, Tx } from '../platform/db/database.ts'
import { AppError } from '../platform/errors.ts'
import { EmbeddedTrueType } from '../registers/truetype.ts'
import {
  agencySealAppearance,
  agencyStampLines,
  leaderAppearance,
  textStampAppearance,
} from '../signatures/appearance/index.ts'
import { copyObject, stampFontBytes } from '../signatures/appearance/text-stamp.ts'
import { currentImage } from '../signatures/images/images.service.ts'
import { sendSignatureVerification } from '../signatures/verify/verify-signatures.job.ts'
import { lockBlobKey } from '../storage/blob-references.ts'
import { type BlobStore, putBytes, readBytes } from '../storage/blob-store.ts'
import type { JobQueue } from '../platform/jobs/job-queue.ts'
import type { Database } from '../platform/db/database.ts'
import { findNumberPlaces, type NumberFieldRole } from './number-places.ts'
import type { NumberStamper } from './numbering.service.ts'
import type * as repository from './outgoing.repository.ts'

export const FIELD_NAMES: Record<NumberFieldRole | 'seal', string> = {
  number: 'SoVanBan',
  day: 'NgayBanHanh',
  month: 'ThangBanHanh',
  year: 'NamBanHanh',
  seal: 'ChuKySoCoQuan',
}

export interface PreparedField {
  name: string
  role: NumberFieldRole
  pageIndex: number
  rect: Rect
  fontSize: number
  /** blank: only the value goes into the printed blank; full: the whole "Số: 05/QĐ-UBND" line (placed fields). */
  style: 'blank' | 'full'
}

/** What outgoing_documents.number_fields holds. */
export interface NumberFields {
  /** The prepared PDF (the file the leader signs). */
  fileId: string
  source: 'text-layer' | 'placed' | 'none'
  fields: PreparedField[]
  seal: { name: string; pageIndex: number; rect: Rect; over: 'signature' | 'stamp' } | null
  /** The PDF already carried signatures: nothing was added (an earlier signature would not allow it). */
  skipped?: 'already-signed'
}

export interface Placement {
  /** 1-based page, PDF points from the bottom left. */
  page: number
  x: number
  y: number
  width: number
  height: number
}

export interface FieldDeps {
  database: Database
  blobStore: BlobStore
  jobs: JobQueue
}

const round = (n: number) => Math.round(n * 100) / 100

/** The current version's PDF (the newest original that is not a prepared copy). */
async function versionPdf(db: Executor, document: DocumentRow) {
  const files = await documentsRepository.filesOf(db, [document.id])
  const originals = files.filter(
    (f) => f.role === 'original' && f.mediaType === 'application/pdf' && !f.derivedFromId,
  )
  const pdf = originals.at(-1)
  if (!pdf) throw new AppError('conflict', { detail: 'Dự thảo không có tệp PDF. / The draft has no PDF.' })
  return pdf
}

/** Where the seal will go: over the left third of the leader's image as it will be placed, else the stamp box. */
async function sealPlace(
  db: Executor,
  document: DocumentRow,
  outgoing: repository.OutgoingRow,
  pdf: Uint8Array,
) {
  const agencyId = document.agencyId!
  const seal = await currentImage(db, { kind: 'seal', agencyId, userId: null })
  const signature = outgoing.signerUserId
    ? await currentImage(db, { kind: 'signature', agencyId, userId: outgoing.signerUserId })
    : undefined
  if (seal && signature) {
    try {
      const leader = await leaderAppearance(pdf, { image: signature.png })
      const placed = agencySealAppearance(pdf, {
        leaderRect: leader.appearance.rect,
        pageIndex: leader.pageIndex,
        sealPng: seal.png,
      })
      return { pageIndex: placed.pageIndex, rect: placed.appearance.rect, over: 'signature' as const }
    } catch {
      // No signer block: the seal falls back to the stamp.
    }
  }
  // Room for the longest notation and the ISO time the stamp will show.
  const lines = agencyStampLines({ numberNotation: `0000/${'X'.repeat(22)}`, signedAt: new Date() })
  const placed = await textStampAppearance(pdf, { lines })
  return { pageIndex: placed.pageIndex, rect: placed.appearance.rect, over: 'stamp' as const }
}

function fieldsFromPlacements(placements: {
  number: Placement
  date?: Placement | undefined
}): PreparedField[] {
  const field = (role: NumberFieldRole, name: string, p: Placement): PreparedField => ({
    name,
    role,
    pageIndex: p.page - 1,
    rect: [p.x, p.y, p.x + p.width, p.y + p.height].map(round) as Rect,
    fontSize: Math.min(13, Math.max(8, round(p.height * 0.75))),
    style: 'full',
  })
  return [
    field('number', FIELD_NAMES.number, placements.number),
    ...(placements.date ? [field('day', FIELD_NAMES.day, placements.date)] : []),
  ]
}

/**
 * Makes the PDF the leader will sign: the version's PDF plus an unsigned update with the empty fields.
 * Stores it as a new original derived from the version's PDF; answers its id and what was prepared.
 */
export async function prepareNumberFields(
  deps: FieldDeps,
  tx: Tx,
  loaded: { document: DocumentRow; outgoing: repository.OutgoingRow },
  context: AuditContext,
  placements?: { number: Placement; date?: Placement | undefined },
): Promise<{ fileId: string; fields: NumberFields }> {
  const { document, outgoing } = loaded
  const source = await versionPdf(tx, document)
  const bytes = await readBytes(deps.blobStore, source.blobKey)
  if (source.signatureCount > 0) {
    const fields: NumberFields = {
      fileId: source.id,
      source: 'none',
      fields: [],
      seal: null,
      skipped: 'already-signed',
    }
    return { fileId: source.id, fields }
  }
  let prepared: PreparedField[]
  let origin: NumberFields['source']
  if (placements) {
    prepared = fieldsFromPlacements(placements)
    origin = 'placed'
  } else {
    prepared = (await findNumberPlaces(bytes).catch(() => [])).map((place) => ({
      name: FIELD_NAMES[place.role],
      role: place.role,
      pageIndex: 0,
      rect: place.rect,
      fontSize: place.fontSize,
      style: 'blank' as const,
    }))
    origin = prepared.length > 0 ? 'text-layer' : 'none'
  }
  const seal = { name: FIELD_NAMES.seal, ...(await sealPlace(tx, document, outgoing, bytes)) }
  const update = await withEmptyNumberFields(bytes, prepared, seal)
  const blob = await putBytes(deps.blobStore, [update])
  await lockBlobKey(tx, blob.key)
  const row = await documentsRepository.insertFile(tx, {
    documentId: document.id,
    role: 'original',
    derivedFromId: source.id,
    fileName: source.fileName.replace(/(\.pdf)?$/i, ' (trình ký).pdf').slice(-255),
    mediaType: 'application/pdf',
    size: blob.size,
    sha256: blob.sha256,
    blobKey: blob.key,
    pageCount: source.pageCount,
    signatureCount: 0,
    createdBy: context.actor,
  })
  const fields: NumberFields = { fileId: row.id, source: origin, fields: prepared, seal }
  return { fileId: row.id, fields }
}

/** The PDF with the empty number/date fields and the seal's empty signature field (locking them), unsigned. */
export async function withEmptyNumberFields(
  bytes: Uint8Array,
  fields: readonly PreparedField[],
  seal: NonNullable<NumberFields['seal']>,
): Promise<Uint8Array> {
  const update = await readable(
    withUpdateSession(bytes, (session) => {
      addEmptyFields(session, {
        text: fields.map((f) => ({
          name: f.name,
          pageIndex: f.pageIndex,
          rect: f.rect,
          fontSize: f.fontSize,
          quadding: f.role === 'number' && f.style === 'blank' ? 2 : 1,
        })),
        signatures: [
          { name: seal.name, pageIndex: seal.pageIndex, rect: seal.rect, locks: fields.map((f) => f.name) },
        ],
      })
      return session.write()
    }),
  )
  return update.bytes
}

/** The signed PDF with the number and date filled into its prepared fields (an incremental update). */
export async function withNumberFilled(
  bytes: Uint8Array,
  fields: readonly PreparedField[],
  stamp: { codeNumber: string; numberNotation: string; issuedDate: string },
): Promise<Uint8Array> {
  return concatBytes([bytes, await numberFillUpdate(bytes, fields, stamp)])
}

/**
 * The incremental update that fills the number and date in, alone: the numbered file is `bytes` followed
 * by it, stored as the two without copying a large signed PDF.
 */
export async function numberFillUpdate(
  bytes: Uint8Array,
  fields: readonly PreparedField[],
  stamp: { codeNumber: string; numberNotation: string; issuedDate: string },
): Promise<Uint8Array> {
  const font = await stampFontBytes()
  const values = fieldValues(stamp)
  const update = await readable(
    withUpdateSession(bytes, (session) => {
      const texts = fields.map((field) => values[field.role][field.style])
      const appearance = valueAppearances(font, texts)
      fillTextFields(
        session,
        fields.map((field, index) => {
          const align = field.role === 'number' && field.style === 'blank' ? 'right' : 'centre'
          return {
            name: field.name,
            value: texts[index]!,
            appearance: appearance(index, field.fontSize, align),
          }
        }),
      )
      return session.append()
    }),
  )
  return update.appended
}

/** A PDF whose structure cannot be read or updated: 422 pdf-not-signable. */
async function readable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (error) {
    if (error instanceof PdfUpdateError || error instanceof XrefReadError)
      throw new AppError('pdf-not-signable', { cause: error })
    throw error
  }
}

/** Số, ngày, tháng (1 and 2 zero-padded: ND30 Phụ lục I), năm — the values of each field. */
export function fieldValues(stamp: { codeNumber: string; numberNotation: string; issuedDate: string }) {
  const [year, month, day] = stamp.issuedDate.split('-').map(Number) as [number, number, number]
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n))
  return {
    number: { blank: stamp.codeNumber, full: `Số: ${stamp.numberNotation}` },
    day: { blank: pad(day), full: `ngày ${pad(day)} tháng ${month <= 2 ? pad(month) : month} năm ${year}` },
    month: { blank: month <= 2 ? pad(month) : String(month), full: '' },
    year: { blank: String(year), full: '' },
  } satisfies Record<NumberFieldRole, { blank: string; full: string }>
}

/**
 * The appearances of the values of one fill: each one line of text in its field, shrunk to fit, aligned
 * as the field says, all in one embedded subset of Liberation Serif holding the glyphs of every value
 * (one font object in the update, not one per field). Made inside the update session: the font is copied
 * into that session's objects once.
 */
function valueAppearances(font: Buffer, texts: readonly string[]) {
  const scratch = PDFContext.create()
  const embedded = new EmbeddedTrueType(scratch, font, 'LiberationSerif')
  const encoded = texts.map((text) => embedded.encode(text))
  embedded.finish()
  const copied = new Map<number, PDFRef>()
  return (index: number, fontSize: number, align: 'right' | 'centre') =>
    (ctx: AppearanceContext): PDFStream => {
      const text = texts[index]!
      let size = fontSize
      while (size > 6 && embedded.widthOf(text, size) > ctx.width) size -= 0.5
      const width = embedded.widthOf(text, size)
      const x = align === 'right' ? ctx.width - width : (ctx.width - width) / 2
      // The field spans descent..ascent around the printed baseline: the value sits on that baseline.
      const y = ctx.height * (0.25 / 1.2)
      const operators = [
        setFillingRgbColor(0, 0, 0),
        beginText(),
        setFontAndSize('F1', size),
        moveText(round(Math.max(0, x)), round(y)),
        showText(encoded[index]!),
        endText(),
      ]
      const fontRef = copyObject(embedded.ref, scratch, ctx, copied)
      return nativeFlateStream(ctx.context, operators.map((op) => op.toString()).join('\n'), {
        Type: 'XObject',
        Subtype: 'Form',
        BBox: [0, 0, ctx.width, ctx.height],
        Resources: { Font: { F1: fontRef } },
      })
    }
}

/**
 * The NumberStamper of cấp số: fills the prepared fields of the leader-signed PDF in an incremental
 * update, stored as the document's newest signed file (inside the numbering transaction).
 */
export function numberStamper(deps: FieldDeps): NumberStamper {
  return async (tx, loaded, stamp, context) => {
    const prepared = loaded.outgoing.numberFields as NumberFields | null
    if (!prepared || prepared.fields.length === 0)
      return { fileId: null, onDocument: false, reason: prepared?.skipped ?? 'no-fields' }
    const files = await documentsRepository.filesOf(tx, [loaded.document.id])
    const source = files.filter((f) => f.role === 'signed').at(-1)
    if (!source) return { fileId: null, onDocument: false, reason: 'not-signed' }
    const bytes = await readBytes(deps.blobStore, source.blobKey)
    const update = await numberFillUpdate(bytes, prepared.fields, stamp).catch((error: unknown) => {
      // The leader's PDF lost the prepared fields (a placement after signing is impossible): keep the number
      // in the register and say it is not on the document.
      if (error instanceof AppError && error.code === 'pdf-not-signable') return undefined
      throw error
    })
    if (!update) return { fileId: null, onDocument: false, reason: 'fields-missing' }
    const blob = await putBytes(deps.blobStore, [bytes, update])
    await lockBlobKey(tx, blob.key)
    const row = await documentsRepository.insertFile(tx, {
      documentId: loaded.document.id,
      role: 'signed',
      derivedFromId: source.id,
      fileName: source.fileName
        .replace(/ \((đã ký|đã cấp số)\)\.pdf$/, '')
        .replace(/\.pdf$/i, '')
        .concat(' (đã cấp số).pdf')
        .slice(-255),
      mediaType: 'application/pdf',
      size: blob.size,
      sha256: blob.sha256,
      blobKey: blob.key,
      pageCount: source.pageCount,
      signatureCount: source.signatureCount,
      createdBy: context.actor,
    })
    await sendSignatureVerification(tx, deps.jobs, { documentId: loaded.document.id, fileId: row.id })
    return { fileId: row.id, onDocument: true }
  }
}

/** The prepared seal field of an outgoing document, for the seal to sign into. */
export function sealFieldOf(outgoing: repository.OutgoingRow): NumberFields['seal'] {
  return (outgoing.numberFields as NumberFields | null)?.seal ?? null
}
