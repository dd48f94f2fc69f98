/**
 * Where a flow signature shows (ND30 Phụ lục I, spec §6): the leader's signature image in the signer
 * block (or at a given placement), the agency seal image over the left third of the newest visible
 * signature, or the image-less text stamp at the top right of page 1. Without a configured image a
 * leader's signature is invisible; the seal falls back to the text stamp.
 */
import type { Actor } from '../../access/actor.ts'
import type { DocumentRow } from '../../documents/documents.repository.ts'
import type { Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import {
  agencySealAppearance,
  agencyStampLines,
  type CopyForm,
  leaderAppearance,
  SignerBlockNotFoundError,
  textStampAppearance,
  vietnamIsoTime,
} from '../appearance/index.ts'
import { pageBox } from '../appearance/signer-block.ts'
import { newestVisibleSignature } from '../appearance/signature-widgets.ts'
import { currentImage, ownerOf } from '../images/images.service.ts'
import {
  PdfUpdateError,
  type Rect,
  type SignatureAppearance,
  withUpdateSession,
  XrefReadError,
} from '../../pades/pdf/index.ts'
import * as repository from './signing.repository.ts'

/** A rectangle given by the signer, in PDF points with the origin at the bottom left of the page. */
export interface Placement {
  /** 1-based. */
  page: number
  x: number
  y: number
  width: number
  height: number
}

export type AppearanceSource = 'signer-block' | 'placement' | 'over-signature' | 'stamp' | 'none'

export interface AppearancePlan {
  visible: boolean
  source: AppearanceSource
  /** Zero-based; the last page for an invisible signature. */
  pageIndex?: number
  appearance?: SignatureAppearance
  /** The signature_images row drawn, for the audit event. */
  imageId?: string
  /** Sign into this empty field (prepared before the leader signed: the outgoing flow's seal field). */
  fieldName?: string
  /** Certify with this DocMDP permission (the outgoing flow's leader signature: 2). */
  certify?: 2
}

export interface SealOptions {
  /** 'stamp': the text stamp whatever images exist (separate attachments, electronic copies). */
  appearance?: 'auto' | 'stamp' | undefined
  copyForm?: CopyForm | undefined
}

/** The leader's visible signature when they have a signature image; invisible otherwise. */
export async function personalAppearance(
  db: Executor,
  actor: Actor,
  pdf: Uint8Array,
  placement?: Placement,
): Promise<AppearancePlan> {
  const image = await currentImage(db, ownerOf(actor, 'own-signature'))
  if (!image) return { visible: false, source: 'none' }
  try {
    const placed = await leaderAppearance(pdf, {
      image: image.png,
      placement: placement && (await checkedPlacement(pdf, placement)),
    })
    return {
      visible: true,
      source: placement ? 'placement' : 'signer-block',
      pageIndex: placed.pageIndex,
      appearance: placed.appearance,
      imageId: image.id,
    }
  } catch (error) {
    if (error instanceof SignerBlockNotFoundError) throw new AppError('signature-placement-needed')
    if (isPdfjsReadError(error)) throw new AppError('pdf-not-signable', { cause: error })
    throw error
  }
}

/** pdf.js could not parse the file while looking for the signer block: the PDF is broken, not our code. */
function isPdfjsReadError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name
  return (
    typeof name === 'string' &&
    /^(InvalidPDF|MissingPDF|UnknownError|Format|Password)(Exception|Error)$/.test(name)
  )
}

async function checkedPlacement(pdf: Uint8Array, placement: Placement) {
  const pages = await pageCountOf(pdf)
  if (placement.page > pages)
    throw new AppError('validation-failed', {
      detail: `Văn bản chỉ có ${pages} trang. / The document has ${pages} pages.`,
    })
  const { page, x, y, width, height } = placement
  return { pageIndex: page - 1, rect: [x, y, x + width, y + height] as Rect }
}

/**
 * The agency seal: its image at actual size over the left third of the newest visible signature that
 * is not the agency's own, else (or when asked, or with no seal image) the text stamp on page 1.
 */
export async function sealAppearance(
  db: Executor,
  actor: Actor,
  document: DocumentRow,
  pdf: Uint8Array,
  options: SealOptions & { signedAt: Date; sealSigner: string },
): Promise<AppearancePlan> {
  if (options.appearance !== 'stamp') {
    const image = await currentImage(db, ownerOf(actor, 'agency-seal'))
    const leader =
      image &&
      (await readable(newestVisibleSignature(pdf, (widget) => widget.signerName === options.sealSigner)))
    if (image && leader) {
      const placed = agencySealAppearance(pdf, {
        leaderRect: leader.rect,
        pageIndex: leader.pageIndex,
        sealPng: image.png,
      })
      return { visible: true, source: 'over-signature', ...placed, imageId: image.id }
    }
  }
  const agency = (await repository.agencyName(db, actor.agencyId)) ?? ''
  const lines = options.copyForm
    ? agencyStampLines({ copyForm: options.copyForm, agency, signedAt: options.signedAt })
    : stampLines(document, agency, options.signedAt)
  const placed = await textStampAppearance(pdf, { lines })
  return { visible: true, source: 'stamp', ...placed }
}

/** Số và ký hiệu of the document (e.g. 15/QĐ-UBND) and the time; without a number, the agency and the time. */
function stampLines(document: DocumentRow, agency: string, signedAt: Date): string[] {
  const numberNotation = [document.codeNumber, document.codeNotation].filter(Boolean).join('/')
  if (numberNotation) return agencyStampLines({ numberNotation, signedAt })
  return [agency, vietnamIsoTime(signedAt)].filter(Boolean)
}

/** Where a planned appearance lands, for the placement endpoint. */
export async function placementOf(pdf: Uint8Array, plan: AppearancePlan) {
  const pages = await pageCountOf(pdf)
  const pageIndex = plan.pageIndex ?? pages - 1
  const [x0, y0, x1, y1] = await pageBox(pdf, pageIndex)
  return {
    visible: plan.visible,
    source: plan.source,
    page: plan.appearance ? pageIndex + 1 : null,
    rect: plan.appearance?.rect ?? null,
    pageSize: [x1 - x0, y1 - y0] as [number, number],
  }
}

const pageCountOf = (pdf: Uint8Array) => readable(withUpdateSession(pdf, (session) => session.pageCount()))

/** A PDF whose structure cannot be read cannot take a signature either: 422 pdf-not-signable. */
async function readable<T>(reading: Promise<T>): Promise<T> {
  try {
    return await reading
  } catch (error) {
    if (error instanceof PdfUpdateError || error instanceof XrefReadError)
      throw new AppError('pdf-not-signable', { cause: error })
    throw error
  }
}
