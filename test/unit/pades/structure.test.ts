import { PDFDocument, PDFString, StandardFonts } from 'pdf-lib'
import { beforeAll, describe, expect, it } from 'vitest'
import { NotAPdfError, readStructure, revisionEndingAt } from '../../../src/pades/verify/checks/structure.ts'
import { rawUpdate, update } from '../../attack-corpus/updates.ts'

let original: Uint8Array
let contentNumber: number

beforeAll(async () => {
  const doc = await PDFDocument.create()
  const page = doc.addPage([200, 200])
  page.drawText('Dieu 1', { x: 10, y: 100, font: await doc.embedFont(StandardFonts.Helvetica) })
  original = await doc.save({ useObjectStreams: false })
  const text = Buffer.from(original).toString('latin1')
  contentNumber = Number(/\/Contents \[? ?(\d+) 0 R/.exec(text)![1])
})

const body = '<< /Length 5 >>\nstream\nBT ET\nendstream'

describe('check 1 — structure: the revisions a file really has', () => {
  it('GIVEN a plain PDF WHEN read THEN one revision ending at its %%EOF and no findings', () => {
    const structure = readStructure(original)
    expect(structure.revisions).toHaveLength(1)
    expect(structure.findings).toEqual([])
    expect(
      revisionEndingAt(structure, original.length - 1)?.index ??
        revisionEndingAt(structure, original.length)?.index,
    ).toBe(0)
  })

  it('GIVEN a well-formed update WHEN read THEN two linked revisions, the second listing only what it wrote', async () => {
    const updated = await update(original, (session) => session.add(session.context.obj({ A: 1 })))
    const structure = readStructure(updated)
    expect(structure.revisions.map((r) => r.index)).toEqual([0, 1])
    expect(structure.revisions[1]!.prev).toBe(structure.revisions[0]!.xrefOffset)
    expect(structure.revisions[1]!.entries.size).toBe(1)
    expect(structure.findings).toEqual([])
  })

  it('GIVEN "%%EOF" and a fake "startxref N %%EOF" inside a string WHEN read THEN neither is a revision end', async () => {
    const fake = `startxref ${readStructure(original).revisions[0]!.xrefOffset} %%EOF`
    const updated = await update(original, (session) =>
      session.add(session.context.obj({ Note: PDFString.of(fake) })),
    )
    const text = Buffer.from(updated).toString('latin1')
    const structure = readStructure(updated)
    const fakeEnd = text.indexOf('%%EOF)') + 5
    expect(fakeEnd).toBeGreaterThan(5)
    expect(revisionEndingAt(structure, fakeEnd)).toBeUndefined()
    expect(structure.revisions).toHaveLength(2)
  })

  it('GIVEN an update with a complete xref and no /Prev WHEN read THEN it is still a revision, reported revision-chain-broken', () => {
    const structure = readStructure(
      rawUpdate(original, { objects: [{ number: contentNumber, body }], prev: null }),
    )
    expect(structure.revisions).toHaveLength(2)
    expect(structure.findings).toContainEqual({ code: 'revision-chain-broken', revision: 1 })
  })

  it('GIVEN an xref entry 3 bytes off WHEN read THEN xref-offset-wrong, and the entry repaired to the object a scanning reader finds', () => {
    const bytes = rawUpdate(original, {
      objects: [{ number: contentNumber, body }],
      skew: new Map([[contentNumber, 3]]),
    })
    const structure = readStructure(bytes)
    expect(structure.findings).toContainEqual({
      code: 'xref-offset-wrong',
      revision: 1,
      object: contentNumber,
    })
    const entry = structure.revisions[1]!.merged.get(contentNumber)
    expect(entry?.type).toBe('offset')
    const offset = entry?.type === 'offset' ? entry.offset : -1
    expect(Buffer.from(bytes).toString('latin1', offset, offset + 20)).toMatch(
      new RegExp(`^${contentNumber} 0 obj`),
    )
  })

  it('GIVEN an object in an update that its xref does not list WHEN read THEN unlisted-object', () => {
    const bytes = rawUpdate(original, {
      objects: [{ number: 900, body: '<< /A 1 >>' }],
      unlisted: [{ number: contentNumber, body }],
    })
    expect(readStructure(bytes).findings).toContainEqual({
      code: 'unlisted-object',
      revision: 1,
      object: contentNumber,
    })
  })

  it('GIVEN bytes after the last %%EOF WHEN read THEN trailing-data with their count, and objects among them said', () => {
    const comment = readStructure(Buffer.concat([Buffer.from(original), Buffer.from('% note\n')]))
    expect(comment.findings).toEqual([{ code: 'trailing-data', bytes: 5, objects: false }])
    const appended = readStructure(
      rawUpdate(original, { objects: [{ number: contentNumber, body }], noXref: true }),
    )
    expect(appended.findings).toContainEqual(
      expect.objectContaining({ code: 'trailing-data', objects: true }),
    )
  })

  it('GIVEN a file cut inside an object, or with no revision at all WHEN read THEN damaged; without %PDF- THEN NotAPdfError', () => {
    const cut = rawUpdate(original, { objects: [{ number: contentNumber, body }], noXref: true })
    expect(readStructure(cut.subarray(0, cut.length - 12)).findings).toContainEqual({ code: 'damaged' })
    expect(readStructure(original.subarray(0, 200)).findings).toContainEqual({ code: 'damaged' })
    expect(() => readStructure(Buffer.from('hello'))).toThrow(NotAPdfError)
  })
})
