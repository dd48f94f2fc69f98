/**
 * A signature (or document timestamp) update built by hand, for what the library's signer refuses to
 * make: signing a P=1 certified document, or a document timestamp whose update also carries other
 * objects (e.g. a DSS). The placeholder and byte-range mechanics are the library's.
 */
import { PDFName, type PDFRef, PDFString } from 'pdf-lib'
import { signDigest } from '../../src/pades/cms/pades-cms.ts'
import {
  byteRangePlaceholder,
  contentsPlaceholder,
  digestByteRange,
  fillByteRange,
  writeContents,
} from '../../src/pades/pdf/byte-range.ts'
import { openPdfForUpdate, type PdfUpdateSession } from '../../src/pades/pdf/pdf-update.ts'
import { registerSignatureField } from '../../src/pades/pdf/signature-field.ts'
import { type SigningIdentity, timestampToken } from './signing.ts'

const CAPACITY = 12 * 1024

export async function manualSignature(
  bytes: Uint8Array,
  input: {
    kind: 'signature' | 'timestamp'
    signer: SigningIdentity
    chain: Uint8Array[]
    /** More objects in the same update. */
    extra?: (session: PdfUpdateSession) => void
  },
): Promise<Uint8Array> {
  const session = await openPdfForUpdate(bytes)
  const { context } = session
  const isTimestamp = input.kind === 'timestamp'
  const dict = context.obj({
    Type: isTimestamp ? 'DocTimeStamp' : 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: isTimestamp ? 'ETSI.RFC3161' : 'ETSI.CAdES.detached',
  })
  dict.set(PDFName.of('ByteRange'), byteRangePlaceholder())
  dict.set(PDFName.of('Contents'), contentsPlaceholder(CAPACITY))
  const sigRef = session.add(dict)
  const pageRef = session.pageRef(0)
  const widgetRef: PDFRef = session.allocate()
  const name = registerSignatureField(session, pageRef, widgetRef)
  session.put(
    widgetRef,
    context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      T: PDFString.of(name),
      Rect: [0, 0, 0, 0],
      V: sigRef,
      P: pageRef,
      F: 132,
    }),
  )
  input.extra?.(session)
  const written = session.write()
  const slot = fillByteRange(written.bytes, written.offsets.get(sigRef.objectNumber)!, CAPACITY)
  const digest = digestByteRange(written.bytes, slot.byteRange)
  const der = isTimestamp
    ? timestampToken(new Uint8Array(), input.signer, input.chain, new Date(), digest)
    : signDigest({
        digest,
        privateKey: input.signer.privateKey,
        signerCert: input.signer.certPem,
        chain: input.chain,
      })
  writeContents(written.bytes, slot, der)
  return written.bytes
}
