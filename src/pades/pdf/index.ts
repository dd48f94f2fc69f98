/**
 * PDF signatures as incremental updates: earlier revisions (and their signatures) are never rewritten.
 * Flow: prepareSignature → CMS over `digest()` → embedSignature; later appendDss and
 * prepareDocumentTimestamp for PAdES B-LT / B-LTA.
 */
export type { ByteRange } from './byte-range.ts'
export { type DssMaterial, appendDss } from './dss.ts'
export {
  type AppendedSection,
  type IncrementalUpdate,
  type ObjectUpdate,
  appendIncrementalSection,
  appendIncrementalUpdate,
} from './incremental-writer.ts'
export { concatBytes, type PdfChunks, PdfUpdateError, XrefReadError } from './pdf-bytes.ts'
export { type PdfUpdateSession, openPdfForUpdate, withUpdateSession } from './pdf-update.ts'
export {
  type AppearanceContext,
  DEFAULT_SIGNATURE_CAPACITY,
  embedSignature,
  embedSignatureInChunks,
  type PreparedSignature,
  type PrepareSignatureOptions,
  type PrepareTimestampOptions,
  prepareDocumentTimestamp,
  prepareSignature,
  type Rect,
  type SignatureAppearance,
} from './signature-placeholder.ts'
export {
  addEmptyFields,
  type EmptySignatureFieldSpec,
  fieldWidget,
  fillTextFields,
  type TextFieldSpec,
  type TextFieldValue,
} from './form-fields.ts'
