import type { PDFContext, PDFDict, PDFObject, PDFRef, PDFStream } from 'pdf-lib'
import { PDFName, PDFString } from 'pdf-lib'
import {
  byteRangePlaceholder,
  type ByteRange,
  contentsPlaceholder,
  coveredBytes,
  digestByteRange,
  fillByteRange,
  type SignatureSlot,
  writeContents,
} from './byte-range.ts'
import { type PdfUpdateSession, withUpdateSession } from './pdf-update.ts'
import { pdfDateVietnam, pdfTextString } from './pdf-text.ts'
import { fillEmptySignatureField, registerSignatureField } from './signature-field.ts'
import { addDocMdpPerms, assertSigningAllowed, type DocMdpPermission, docMdpReference } from './doc-mdp.ts'
import { concatBytes, type PdfChunks, PdfUpdateError } from './pdf-bytes.ts'
import { fieldMdpReference } from './form-fields.ts'

/** 16 KiB of DER: a certificate chain, a signature timestamp and some revocation data. */
export const DEFAULT_SIGNATURE_CAPACITY = 16 * 1024

export type Rect = [number, number, number, number]

/** Lets an appearance builder add the objects its form XObject refers to (fonts, images). */
export interface AppearanceContext {
  context: PDFContext
  /** Adds an indirect object to the same incremental update. */
  register(object: PDFObject): PDFRef
  /** Width and height of the widget. */
  width: number
  height: number
}

export interface SignatureAppearance {
  /** Widget rectangle in page space (points). */
  rect: Rect
  /** Builds the normal appearance (/AP /N): a form XObject stream with /BBox [0 0 width height]. */
  build(ctx: AppearanceContext): PDFStream
}

export interface PrepareSignatureOptions {
  /** Person signing (họ tên người ký); any Unicode text. */
  name?: string
  reason?: string
  location?: string
  contactInfo?: string
  /** Signing time for /M; defaults to now, written in Vietnam time. */
  signingTime?: Date
  /** Page of the widget; defaults to the last page (where the signature block sits). */
  pageIndex?: number
  /** Raw DER bytes reserved in /Contents. */
  capacity?: number
  /**
   * Full name of an empty signature field already in the document (the template's signature box) to
   * sign into; without it a new field `SignatureN` is added on `pageIndex`.
   */
  fieldName?: string
  /** Visible signature; without it the widget is invisible (/Rect [0 0 0 0]). */
  appearance?: SignatureAppearance
  /**
   * Makes this a certification signature (DocMDP, ISO 32000-1 12.8.2.2) with the changes later revisions
   * may make: 1 none, 2 form filling and signing, 3 also annotations. Only the first signature certifies.
   */
  certify?: DocMdpPermission
}

export interface PreparedSignature {
  /**
   * The file with the placeholder as [the original bytes, the appended update]: the original is neither
   * copied nor changed; the signature is written into the update.
   */
  chunks: readonly [original: Uint8Array, appended: Uint8Array]
  /** The whole file with the placeholder (/Contents zeros until embedded): a new copy at each read. */
  readonly bytes: Uint8Array
  byteRange: ByteRange
  /** Offset of the `<` opening /Contents. */
  contentsOffset: number
  /** Bytes from `<` to `>` inclusive: 2 × capacity + 2. */
  contentsLength: number
  fieldName: string
  /** The bytes a CMS signature covers (a copy: prefer `digest` on large files). */
  signedBytes(): Uint8Array
  /** Digest of the covered bytes, computed without copying them. */
  digest(algorithm?: string): Buffer
}

type SignatureKind = 'signature' | 'timestamp'

export async function prepareSignature(
  pdfBytes: Uint8Array,
  options: PrepareSignatureOptions = {},
): Promise<PreparedSignature> {
  return prepare(pdfBytes, options, 'signature')
}

export type PrepareTimestampOptions = Pick<PrepareSignatureOptions, 'capacity' | 'pageIndex'>

/** A document timestamp (PAdES B-LTA): /Type /DocTimeStamp, /SubFilter /ETSI.RFC3161; embed the token. */
export async function prepareDocumentTimestamp(
  pdfBytes: Uint8Array,
  options: PrepareTimestampOptions = {},
): Promise<PreparedSignature> {
  return prepare(pdfBytes, options, 'timestamp')
}

function prepare(
  pdfBytes: Uint8Array,
  options: PrepareSignatureOptions,
  kind: SignatureKind,
): Promise<PreparedSignature> {
  return withUpdateSession(pdfBytes, (session) => prepareWith(pdfBytes, session, options, kind))
}

function prepareWith(
  original: Uint8Array,
  session: PdfUpdateSession,
  options: PrepareSignatureOptions,
  kind: SignatureKind,
): PreparedSignature {
  // DocMDP P=1 forbids new signatures, not document timestamps (ISO 32000-2 §12.8.2.2, PAdES B-LTA).
  if (kind === 'signature') assertSigningAllowed(session.context, session.revision.root)
  const capacity = options.capacity ?? DEFAULT_SIGNATURE_CAPACITY
  const count = session.pageCount()
  const index = options.pageIndex ?? count - 1
  if (index < 0 || index >= count)
    throw new PdfUpdateError(`No page ${index + 1} in a ${count}-page document`)
  const pageRef = session.pageRef(index)

  // Signing into a field with a /Lock makes this a FieldMDP signature (ISO 32000-2 12.8.2.4).
  const fieldLock =
    options.fieldName === undefined ? undefined : fieldMdpReference(session, options.fieldName)
  const sigRef = session.add(signatureDictionary(session.context, options, kind, capacity, fieldLock))
  const fieldName =
    options.fieldName === undefined
      ? addSignatureWidget(session, pageRef, sigRef, options.appearance)
      : signTemplateField(session, options.fieldName, sigRef, options.appearance)

  if (options.certify !== undefined && kind === 'signature') addDocMdpPerms(session, sigRef)
  const { appended, offsets, updateStart } = session.append()
  const slot = fillByteRange(appended, offsets.get(sigRef.objectNumber)!, capacity, updateStart)
  return preparedFrom(original, appended, slot, fieldName)
}

/** A new merged field + widget on the page; returns its unique name. */
function addSignatureWidget(
  session: PdfUpdateSession,
  pageRef: PDFRef,
  sigRef: PDFRef,
  appearance: SignatureAppearance | undefined,
): string {
  const widgetRef = session.allocate()
  const widget = session.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: appearance?.rect ?? [0, 0, 0, 0],
    V: sigRef,
    P: pageRef,
    F: 132,
  })
  if (appearance) widget.set(PDFName.of('AP'), appearanceDict(session, appearance))
  const fieldName = registerSignatureField(session, pageRef, widgetRef)
  widget.set(PDFName.of('T'), pdfTextString(fieldName))
  session.put(widgetRef, widget)
  return fieldName
}

/** The widget keeps its place unless an appearance brings its own rectangle. */
function signTemplateField(
  session: PdfUpdateSession,
  fieldName: string,
  sigRef: PDFRef,
  appearance: SignatureAppearance | undefined,
): string {
  const widget = fillEmptySignatureField(session, fieldName, sigRef)
  if (appearance) {
    widget.dict.set(PDFName.of('Rect'), session.context.obj(appearance.rect))
    widget.dict.set(PDFName.of('AP'), appearanceDict(session, appearance))
    session.put(widget.ref, widget.dict)
  }
  return fieldName
}

function signatureDictionary(
  context: PDFContext,
  options: PrepareSignatureOptions,
  kind: SignatureKind,
  capacity: number,
  fieldLock?: PDFDict,
): PDFDict {
  const isTimestamp = kind === 'timestamp'
  // ByteRange precedes Contents so the gap is the last thing in the dictionary's first half.
  const dict = context.obj({
    Type: isTimestamp ? 'DocTimeStamp' : 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: isTimestamp ? 'ETSI.RFC3161' : 'ETSI.CAdES.detached',
  })
  dict.set(PDFName.of('ByteRange'), byteRangePlaceholder())
  dict.set(PDFName.of('Contents'), contentsPlaceholder(capacity))
  if (isTimestamp) return dict
  const references = [
    ...(options.certify !== undefined ? docMdpReference(context, options.certify).asArray() : []),
    ...(fieldLock ? [fieldLock] : []),
  ]
  if (references.length > 0) dict.set(PDFName.of('Reference'), context.obj(references))
  dict.set(PDFName.of('M'), PDFString.of(pdfDateVietnam(options.signingTime ?? new Date())))
  const texts = { Name: options.name, Reason: options.reason, Location: options.location }
  for (const [key, value] of Object.entries({ ...texts, ContactInfo: options.contactInfo })) {
    if (value !== undefined) dict.set(PDFName.of(key), pdfTextString(value))
  }
  return dict
}

function appearanceDict(session: PdfUpdateSession, appearance: SignatureAppearance) {
  const [x1, y1, x2, y2] = appearance.rect
  const stream = appearance.build({
    context: session.context,
    register: (object) => session.add(object),
    width: Math.abs(x2 - x1),
    height: Math.abs(y2 - y1),
  })
  return session.context.obj({ N: session.add(stream) })
}

function preparedFrom(
  original: Uint8Array,
  appended: Uint8Array,
  slot: SignatureSlot,
  fieldName: string,
): PreparedSignature {
  const chunks = [original, appended] as const
  return {
    chunks,
    get bytes() {
      return concatBytes(chunks)
    },
    ...slot,
    fieldName,
    signedBytes: () => coveredBytes(chunks, slot.byteRange),
    digest: (algorithm = 'sha256') => digestByteRange(chunks, slot.byteRange, algorithm),
  }
}

/**
 * Writes the DER CMS (or RFC 3161 token) as hex into /Contents, in place in the appended update, and
 * answers the signed file as its chunks (nothing copied). Throws when the DER is larger than the
 * reserved capacity.
 */
export function embedSignatureInChunks(prepared: PreparedSignature, cmsDer: Uint8Array): PdfChunks {
  const [original, appended] = prepared.chunks
  writeContents(appended, prepared, cmsDer, original.length)
  return prepared.chunks
}

/** As embedSignatureInChunks, answering the signed file as one new array. */
export function embedSignature(prepared: PreparedSignature, cmsDer: Uint8Array): Uint8Array {
  return concatBytes(embedSignatureInChunks(prepared, cmsDer))
}
