/**
 * What each object is to the document in one revision, found by walking from the trailer the way a
 * viewer does: the page tree and each page's content, resources and annotations (with their
 * appearances), the AcroForm and its fields, the DSS, the XMP metadata, the document information. An
 * object's own /Type is never consulted: a content stream that calls itself /XRef or /DSS is still
 * reached from a page's /Contents, and that is what it is.
 *
 * An object may have several roles (listed in the DSS and used as page content): a change to it must be
 * allowed for every one. Pages, annotations, form fields and signature values are "anchored": reached
 * from another place (an outline destination, a structure-tree reference, a field's /P) they are links,
 * not new roles — except from a page's /Contents or /Resources or an appearance, which they never are
 * legitimately, so there they take that role too.
 */
import { PDFArray, PDFDict, PDFName, type PDFObject, PDFRawStream, PDFRef } from 'pdf-lib'
import { catalogOf, nameText, type RevisionView, safeLookup, textOf } from '../checks/revisions.ts'

export type RoleKind =
  | 'catalog'
  | 'page-tree'
  | 'page'
  | 'annots'
  | 'annotation'
  | 'annotation-other'
  | 'acroform'
  | 'fields'
  | 'field'
  | 'widget'
  | 'field-value'
  | 'field-other'
  | 'signature-value'
  | 'appearance'
  | 'form-resources'
  | 'dss'
  | 'metadata'
  | 'info'
  | 'content'
  | 'resource'
  | 'other'

export interface Role {
  kind: RoleKind
  /** The field (by name) or annotation (by reference) an appearance, widget or value belongs to. */
  owner?: string
}

export interface FieldNode {
  name: string
  ref: PDFRef | undefined
  dict: PDFDict
  type: string | undefined
  /** The field's widget annotations (the field itself when merged). */
  widgets: PDFRef[]
  parent: string | undefined
}

export interface DocumentRoles {
  /** Object number -> its roles (deduplicated). */
  roles: Map<number, Role[]>
  /** Page object references in document order. */
  pages: PDFRef[]
  /** Fully qualified field name -> field. */
  fields: Map<string, FieldNode>
  /** Widget object number -> owning field name. */
  widgetOwner: Map<number, string>
  /** Page object number -> the /Annots entries as written. */
  annots: Map<number, PDFObject[]>
  /** The walk was cut short (object budget): the roles are incomplete. */
  truncated: boolean
}

const MAX_VISITS = 400_000
/** Keys that point back up or across to another annotation or page: links, never roles. */
const LINK_KEYS = new Set(['Parent', 'P', 'Popup', 'IRT'])
/** Roles that even an anchored object takes: it is drawn as content or as an appearance. */
const DRAWN: ReadonlySet<RoleKind> = new Set(['content', 'resource', 'appearance'])

export function documentRoles(view: RevisionView): DocumentRoles {
  const walker = new RoleWalker(view)
  walker.walk()
  return walker.result
}

class RoleWalker {
  readonly result: DocumentRoles = {
    roles: new Map(),
    pages: [],
    fields: new Map(),
    widgetOwner: new Map(),
    annots: new Map(),
    truncated: false,
  }
  private readonly anchored = new Set<number>()
  private readonly visited = new Set<string>()
  private visits = 0

  constructor(private readonly view: RevisionView) {}

  private lookup(object: PDFObject | undefined) {
    return safeLookup(this.view.context, object)
  }

  walk() {
    const catalog = catalogOf(this.view)
    if (this.view.root) this.addRole(this.view.root, { kind: 'catalog' })
    this.deep(this.view.trailer.get(PDFName.of('Info')), { kind: 'info' })
    if (!catalog) return
    const pageNodes = this.pageTree(catalog.get(PDFName.of('Pages')))
    const form = this.lookup(catalog.get(PDFName.of('AcroForm')))
    if (form instanceof PDFDict) this.fieldTree(form, catalog.get(PDFName.of('AcroForm')))
    for (const page of this.result.pages) this.annotations(page)
    for (const node of pageNodes) this.pageContent(node)
    if (form instanceof PDFDict) this.formContent(form)
    for (const [key, value] of catalog.entries()) {
      const name = nameText(key)
      if (name === 'Pages' || name === 'AcroForm') continue
      const kind: RoleKind =
        name === 'DSS' ? 'dss' : name === 'Metadata' ? 'metadata' : name === 'Extensions' ? 'info' : 'other'
      this.deep(value, { kind })
    }
  }

  /** Anchors the page tree; returns every node (pages included) for the content walk. */
  private pageTree(root: PDFObject | undefined): PDFRef[] {
    const nodes: PDFRef[] = []
    const visit = (item: PDFObject | undefined, depth: number) => {
      if (!(item instanceof PDFRef) || depth > 64 || this.anchored.has(item.objectNumber)) return
      const node = this.lookup(item)
      if (!(node instanceof PDFDict)) return
      this.anchored.add(item.objectNumber)
      nodes.push(item)
      const kids = this.lookup(node.get(PDFName.of('Kids')))
      if (kids instanceof PDFArray) {
        this.addRole(item, { kind: 'page-tree' })
        for (const kid of kids.asArray()) visit(kid, depth + 1)
      } else {
        this.addRole(item, { kind: 'page' })
        this.result.pages.push(item)
      }
    }
    visit(root, 0)
    return nodes
  }

  private fieldTree(form: PDFDict, formRaw: PDFObject | undefined) {
    if (formRaw instanceof PDFRef) this.addRole(formRaw, { kind: 'acroform' })
    const fieldsRaw = form.get(PDFName.of('Fields'))
    if (fieldsRaw instanceof PDFRef) this.addRole(fieldsRaw, { kind: 'fields' })
    const fields = this.lookup(fieldsRaw)
    const visit = (item: PDFObject, parent: FieldNode | undefined, depth: number) => {
      if (depth > 32 || this.result.fields.size > 20_000) return
      if (item instanceof PDFRef && this.anchored.has(item.objectNumber)) return
      const dict = this.lookup(item)
      if (!(dict instanceof PDFDict)) return
      const ref = item instanceof PDFRef ? item : undefined
      if (ref) this.anchored.add(ref.objectNumber)
      const partial = textOf(dict.get(PDFName.of('T')))
      const kids = this.lookup(dict.get(PDFName.of('Kids')))
      if (partial === undefined && parent) {
        // A kid without a name is a widget of its parent field.
        if (ref) {
          this.addRole(ref, { kind: 'widget', owner: parent.name })
          this.result.widgetOwner.set(ref.objectNumber, parent.name)
          parent.widgets.push(ref)
        }
        return
      }
      const name = parent ? `${parent.name}.${partial ?? ''}` : (partial ?? '(unnamed)')
      const ft = dict.get(PDFName.of('FT'))
      const node: FieldNode = {
        name,
        ref,
        dict,
        type: ft instanceof PDFName ? nameText(ft) : parent?.type,
        widgets: [],
        parent: parent?.name,
      }
      this.result.fields.set(name, node)
      if (ref) this.addRole(ref, { kind: 'field', owner: name })
      if (!(kids instanceof PDFArray) && ref) {
        // Field and widget merged in one dictionary.
        node.widgets.push(ref)
        this.result.widgetOwner.set(ref.objectNumber, name)
      }
      if (kids instanceof PDFArray) for (const kid of kids.asArray()) visit(kid, node, depth + 1)
    }
    if (fields instanceof PDFArray) for (const item of fields.asArray()) visit(item, undefined, 0)
    // Signature values are anchored before any other walk can reach them.
    for (const field of this.result.fields.values()) {
      const value = field.dict.get(PDFName.of('V'))
      if (field.type === 'Sig' && value instanceof PDFRef) {
        this.addRole(value, { kind: 'signature-value', owner: field.name })
        this.anchored.add(value.objectNumber)
      }
    }
  }

  private annotations(page: PDFRef) {
    const dict = this.lookup(page)
    if (!(dict instanceof PDFDict)) return
    const raw = dict.get(PDFName.of('Annots'))
    if (raw instanceof PDFRef) this.addRole(raw, { kind: 'annots', owner: page.toString() })
    const annots = this.lookup(raw)
    if (!(annots instanceof PDFArray)) return
    this.result.annots.set(page.objectNumber, annots.asArray())
    for (const item of annots.asArray()) {
      if (!(item instanceof PDFRef) || this.anchored.has(item.objectNumber)) continue
      this.anchored.add(item.objectNumber)
      this.addRole(item, { kind: 'annotation', owner: item.toString() })
    }
  }

  /** A page's (or an inherited node's) content, resources, annotation insides and other entries. */
  private pageContent(nodeRef: PDFRef) {
    const node = this.lookup(nodeRef)
    if (!(node instanceof PDFDict)) return
    for (const [key, value] of node.entries()) {
      const name = nameText(key)
      if (name === 'Kids' || name === 'Parent' || name === 'Annots' || name === 'Type') continue
      this.deep(value, {
        kind: name === 'Contents' ? 'content' : name === 'Resources' ? 'resource' : 'other',
      })
    }
    for (const item of this.result.annots.get(nodeRef.objectNumber) ?? []) {
      const annotation = this.lookup(item)
      if (!(annotation instanceof PDFDict)) continue
      const owner =
        item instanceof PDFRef
          ? (this.result.widgetOwner.get(item.objectNumber) ?? item.toString())
          : 'direct'
      const isField = item instanceof PDFRef && this.result.widgetOwner.has(item.objectNumber)
      this.annotationInsides(annotation, owner, isField)
    }
  }

  private annotationInsides(annotation: PDFDict, owner: string, isField: boolean) {
    for (const [key, value] of annotation.entries()) {
      const name = nameText(key)
      if (name === 'AP') this.deep(value, { kind: 'appearance', owner })
      else if (!LINK_KEYS.has(name) && name !== 'V' && name !== 'Kids')
        this.deep(value, { kind: isField ? 'field-other' : 'annotation-other', owner })
    }
  }

  private formContent(form: PDFDict) {
    for (const [key, value] of form.entries()) {
      const name = nameText(key)
      if (name === 'Fields' || name === 'CO') continue
      this.deep(value, {
        kind: name === 'DR' ? 'form-resources' : name === 'DA' ? 'form-resources' : 'other',
      })
    }
    for (const field of this.result.fields.values()) {
      for (const [key, value] of field.dict.entries()) {
        const name = nameText(key)
        if (name === 'Kids' || name === 'T' || LINK_KEYS.has(name)) continue
        if (name === 'AP') this.deep(value, { kind: 'appearance', owner: field.name })
        else if (name === 'V' && field.type === 'Sig') this.deepInside(value, { kind: 'signature-value' })
        else if (name === 'V' || name === 'DV' || name === 'RV')
          this.deep(value, { kind: 'field-value', owner: field.name })
        else if (name === 'DR') this.deep(value, { kind: 'form-resources' })
        else this.deep(value, { kind: 'field-other', owner: field.name })
      }
      for (const widget of field.widgets) {
        if (widget === field.ref) continue
        const dict = this.lookup(widget)
        if (dict instanceof PDFDict) this.annotationInsides(dict, field.name, true)
      }
    }
  }

  /** The entries of an anchored object (a signature value) under its role. */
  private deepInside(object: PDFObject | undefined, role: Role) {
    const value = this.lookup(object)
    if (value instanceof PDFDict) for (const [, entry] of value.entries()) this.deep(entry, role)
  }

  /** Every object reachable from `object`, under `role` (each object once per role). */
  private deep(object: PDFObject | undefined, role: Role) {
    const stack: PDFObject[] = object === undefined ? [] : [object]
    while (stack.length > 0) {
      if (++this.visits > MAX_VISITS) {
        this.result.truncated = true
        return
      }
      const item = stack.pop()!
      let value: PDFObject | undefined = item
      if (item instanceof PDFRef) {
        if (this.anchored.has(item.objectNumber) && !DRAWN.has(role.kind)) continue
        const key = `${item.objectNumber}|${role.kind}|${role.owner ?? ''}`
        if (this.visited.has(key)) continue
        this.visited.add(key)
        this.addRole(item, role)
        value = this.lookup(item)
      }
      const dict = value instanceof PDFRawStream ? value.dict : value
      if (dict instanceof PDFDict) {
        for (const [key, entry] of dict.entries()) if (!LINK_KEYS.has(nameText(key))) stack.push(entry)
      } else if (dict instanceof PDFArray) {
        for (const entry of dict.asArray()) stack.push(entry)
      }
    }
  }

  private addRole(ref: PDFRef, role: Role) {
    const list = this.result.roles.get(ref.objectNumber) ?? []
    if (!list.some((r) => r.kind === role.kind && r.owner === role.owner)) {
      if (list.length < 16) list.push(role)
      this.result.roles.set(ref.objectNumber, list)
    }
  }
}
