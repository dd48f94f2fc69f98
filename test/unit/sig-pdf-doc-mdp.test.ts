import { PDFDocument, PDFName } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { prepareSignature } from '../../src/pades/pdf/signature-placeholder.ts'

describe('certified documents', () => {
  async function certified(p: number | undefined): Promise<Uint8Array> {
    const doc = await PDFDocument.create()
    doc.addPage([200, 200])
    const params = p === undefined ? {} : { P: p }
    const reference = {
      Type: 'SigRef',
      TransformMethod: 'DocMDP',
      TransformParams: { Type: 'TransformParams', ...params },
    }
    const certification = doc.context.register(doc.context.obj({ Type: 'Sig', Reference: [reference] }))
    doc.catalog.set(PDFName.of('Perms'), doc.context.obj({ DocMDP: certification }))
    return doc.save({ useObjectStreams: false })
  }

  it('GIVEN a document certified with no changes permitted WHEN preparing a signature THEN it is refused', async () => {
    await expect(prepareSignature(await certified(1))).rejects.toThrow(/DocMDP P=1/)
  })

  it('GIVEN a document certified for form filling and signing WHEN preparing a signature THEN it proceeds', async () => {
    for (const p of [2, undefined])
      expect((await prepareSignature(await certified(p))).fieldName).toBe('Signature1')
  })
})
