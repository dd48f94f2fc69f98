import { PDFArray, PDFName, type PDFRef, PDFString } from 'pdf-lib'
import { beforeAll, describe, expect, it } from 'vitest'
import { byteRangeOf, openRevision } from '../../../src/pades/verify/checks/revisions.ts'
import { readStructure, revisionEndingAt } from '../../../src/pades/verify/checks/structure.ts'
import { analyseUpdate } from '../../../src/pades/verify/modifications/diff.ts'
import { documentRoles } from '../../../src/pades/verify/modifications/roles.ts'
import { NUMBER_FIELD, officialDocument } from '../../attack-corpus/documents.ts'
import { fillTextField, update } from '../../attack-corpus/updates.ts'

let original: Uint8Array
let content: PDFRef

beforeAll(async () => {
  original = await officialDocument()
  await update(original, (session, t) => {
    content = t.contents()[0]!
    session.add(session.context.obj({}))
  })
})

/** What the last update of `bytes` changed, as the verifier judges it. */
function lastUpdate(bytes: Uint8Array) {
  const structure = readStructure(bytes)
  const views = structure.revisions.map((revision) => openRevision(structure, revision))
  const before = views.at(-2)!
  const after = views.at(-1)!
  return analyseUpdate({
    before,
    after,
    beforeRoles: documentRoles(before),
    afterRoles: documentRoles(after),
    beforeEntries: structure.revisions.at(-2)!.merged,
    afterEntries: structure.revisions.at(-1)!.merged,
    signedRevisionOf: (dict, view) => {
      const range = byteRangeOf(dict, view.context)
      return range ? revisionEndingAt(structure, range[2] + range[3])?.index : undefined
    },
    fileLength: bytes.length,
  })
}

const kinds = (bytes: Uint8Array) =>
  lastUpdate(bytes).changes.map((change) => `${change.kind}:${change.level}`)

describe('check 8 — modifications: what an update changed, by what the objects are to the document', () => {
  it('GIVEN the roles of a revision THEN the page content is content, its font a resource, whatever /Type they claim', async () => {
    const bytes = await update(original, (session) => {
      session.put(content, session.context.stream('BT ET', { Type: 'XRef' }))
    })
    const structure = readStructure(bytes)
    const roles = documentRoles(openRevision(structure, structure.revisions.at(-1)!))
    expect(roles.roles.get(content.objectNumber)?.map((role) => role.kind)).toContain('content')
    expect(kinds(bytes)).toEqual([`content-modified:forbidden`])
  })

  it('GIVEN an object listed in the DSS that is also page content WHEN rewritten THEN still content-modified', async () => {
    const bytes = await update(original, (session, t) => {
      session.put(content, session.context.stream('BT ET'))
      const catalog = t.catalog()
      catalog.set(PDFName.of('DSS'), session.context.obj({ Certs: [content] }))
      session.put(session.revision.root, catalog)
    })
    expect(kinds(bytes)).toEqual(expect.arrayContaining(['dss:lta', 'content-modified:forbidden']))
  })

  it('GIVEN an object rewritten identically, or a new object nothing references THEN no change', async () => {
    const bytes = await update(original, (session) => {
      session.put(content, session.context.lookup(content)!)
      session.add(session.context.stream('BT (orphan) Tj ET'))
    })
    expect(lastUpdate(bytes).changes).toEqual([])
  })

  it('GIVEN a text field filled (its /V and a new appearance) THEN form-filled at form-fill level, the field named', async () => {
    const bytes = await update(original, (session, t) =>
      fillTextField(session, t, NUMBER_FIELD, '15/QD-UBND'),
    )
    const analysis = lastUpdate(bytes)
    expect(analysis.filledFields).toEqual([NUMBER_FIELD])
    expect(analysis.changes.every((change) => change.level === 'form-fill')).toBe(true)
  })

  it('GIVEN a new text field, a removed annotation, a catalog entry added THEN each is forbidden', async () => {
    const newField = await update(original, (session, t) => {
      const field = session.add(
        session.context.obj({
          FT: 'Tx',
          T: PDFString.of('x'),
          Type: 'Annot',
          Subtype: 'Widget',
          Rect: [0, 0, 9, 9],
        }),
      )
      session.context.lookup(t.acroForm().dict.get(PDFName.of('Fields')), PDFArray).push(field)
      session.put(t.acroForm().ref!, t.acroForm().dict)
    })
    expect(kinds(newField)).toContain('form-field-added:forbidden')
    const removed = await update(original, (session, t) => {
      const page = t.page()
      page.dict.set(PDFName.of('Annots'), session.context.obj(t.annots().slice(0, -1)))
      session.put(page.ref, page.dict)
    })
    expect(kinds(removed)).toContain('annotation-removed:forbidden')
    const opened = await update(original, (session, t) => {
      const catalog = t.catalog()
      catalog.set(PDFName.of('OpenAction'), session.context.obj({ S: 'JavaScript' }))
      session.put(session.revision.root, catalog)
    })
    expect(kinds(opened)).toEqual(['catalog-modified:forbidden'])
  })

  it('GIVEN an annotation added THEN annotation-added at annotation level (what P=3 permits)', async () => {
    const bytes = await update(original, (session, t) => {
      const annotation = session.add(
        session.context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [0, 0, 9, 9] }),
      )
      const page = t.page()
      const annots = session.context.lookup(page.dict.get(PDFName.of('Annots')))
      ;(annots as PDFArray).push(annotation)
      session.put(page.ref, page.dict)
    })
    expect(kinds(bytes)).toEqual(['annotation-added:annotation'])
  })
})
