/**
 * What one incremental update changed, judged by what the changed objects are to the document (see
 * roles.ts), after ISO 32000-2 §12.8.2.2 and ETSI EN 319 142-1 (PAdES) allowed changes:
 *
 *   lta        validation material and bookkeeping: DSS, XMP metadata, document information, invisible
 *              document timestamps and empty invisible signature fields, /SigFlags
 *   signing    a new signature: its field (new, or an existing empty one), widget and appearance
 *   form-fill  filling existing form fields: /V, /AP, /AS (and /DA) of a field and its widgets
 *   annotation adding or changing annotations (not widgets of form fields)
 *   forbidden  everything else: page content, resources, the page tree, catalog entries, removed
 *              annotations or fields, new non-signature fields, redefined signatures, a signature field
 *              reusing another revision's signature, an unsigned signature field drawing an appearance
 *
 * Objects are compared by value (dictionary keys in any order, strings by their bytes, streams by their
 * raw data); an object rewritten identically is no change; an object no role reaches is an orphan and
 * draws nothing.
 */
import { createHash } from 'node:crypto'
import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFString,
} from 'pdf-lib'
import type { XrefLocation } from '../../pdf/xref-reader.ts'
import { catalogOf, nameText, type RevisionView, safeLookup } from '../checks/revisions.ts'
import type { DocumentRoles, FieldNode, Role } from './roles.ts'

export type ChangeLevel = 'lta' | 'signing' | 'form-fill' | 'annotation' | 'forbidden'

export const LEVEL_RANK: Record<ChangeLevel, number> = {
  lta: 1,
  signing: 2,
  'form-fill': 3,
  annotation: 4,
  forbidden: 5,
}

export type ChangeKind =
  | 'dss'
  | 'metadata'
  | 'info'
  | 'form-plumbing'
  | 'document-timestamp-added'
  | 'signature-added'
  | 'signature-field-added'
  | 'form-filled'
  | 'form-resources'
  | 'annotation-added'
  | 'annotation-modified'
  | 'catalog-modified'
  | 'trailer-modified'
  | 'pages-modified'
  | 'page-modified'
  | 'page-tree-modified'
  | 'content-modified'
  | 'resource-modified'
  | 'annotation-removed'
  | 'form-modified'
  | 'form-field-added'
  | 'form-field-removed'
  | 'form-field-modified'
  | 'signature-field-modified'
  | 'signature-modified'
  | 'signature-reused'
  | 'overlay'
  | 'appearance-modified'
  | 'object-modified'
  | 'object-deleted'

export interface Change {
  /** Index of the revision (update) that made the change. */
  revision: number
  /** `12 0 R`, or a catalog key (`/Pages`) for document-level entries. */
  object: string
  kind: ChangeKind
  level: ChangeLevel
  /** The form field it belongs to (a filled field, a new signature). */
  field?: string
}

export interface UpdateAnalysis {
  revision: number
  changes: Change[]
  /** Existing fields whose value or appearance changed (FieldMDP locks apply to these). */
  filledFields: string[]
  /** Signature fields that received a signature in this update. */
  signedFields: { name: string; documentTimestamp: boolean; visible: boolean }[]
  /** False when a view could not be walked completely: the changes may be incomplete. */
  complete: boolean
}

export interface DiffInput {
  before: RevisionView
  after: RevisionView
  beforeRoles: DocumentRoles
  afterRoles: DocumentRoles
  /** Cross-reference entries of both views (undefined for a recovered view: all its objects count). */
  beforeEntries: Map<number, XrefLocation> | undefined
  afterEntries: Map<number, XrefLocation> | undefined
  /** The revision a signature dictionary's /ByteRange ends at. */
  signedRevisionOf: (signature: PDFDict, view: RevisionView) => number | undefined
  /** Length of the file: a /ByteRange beyond it belongs to an update cut short (damaged, not forged). */
  fileLength: number
}

export function analyseUpdate(input: DiffInput): UpdateAnalysis {
  return new UpdateDiff(input).run()
}

class UpdateDiff {
  private readonly changes: Change[] = []
  private readonly filled = new Set<string>()
  private readonly signed: UpdateAnalysis['signedFields'] = []
  /** Owners (field names, annotation refs) whose appearance may change in this update, and at what level. */
  private readonly owners = new Map<string, ChangeLevel>()
  private readonly newObjects = new Set<number>()
  private readonly revision: number
  /** A signature of this update lost its bytes (truncated file): the update cannot be judged whole. */
  private damaged = false

  constructor(private readonly input: DiffInput) {
    this.revision = input.after.index
  }

  run(): UpdateAnalysis {
    const changed = this.changedObjects()
    this.trailerAndCatalog()
    this.pageList()
    this.form()
    this.fields(changed)
    this.annotations()
    this.objects(changed)
    return {
      revision: this.revision,
      changes: dedupe(this.changes),
      filledFields: [...this.filled],
      signedFields: this.signed,
      complete: !this.input.beforeRoles.truncated && !this.input.afterRoles.truncated && !this.damaged,
    }
  }

  private add(object: string, kind: ChangeKind, level: ChangeLevel, field?: string) {
    this.changes.push({ revision: this.revision, object, kind, level, ...(field ? { field } : {}) })
  }

  /** Object numbers whose value differs between the two views, with both values. */
  private changedObjects(): Map<number, { before?: PDFObject; after?: PDFObject }> {
    const { before, after, beforeEntries, afterEntries } = this.input
    const numbers = new Set<number>()
    if (beforeEntries && afterEntries) {
      for (const [n, entry] of afterEntries)
        if (!sameLocation(entry, beforeEntries.get(n), beforeEntries, afterEntries)) numbers.add(n)
      for (const n of beforeEntries.keys()) if (!afterEntries.has(n)) numbers.add(n)
    } else {
      for (const [ref] of after.context.enumerateIndirectObjects()) numbers.add(ref.objectNumber)
      for (const n of beforeEntries?.keys() ?? []) numbers.add(n)
    }
    numbers.delete(0)
    const out = new Map<number, { before?: PDFObject; after?: PDFObject }>()
    for (const n of numbers) {
      const a = objectNumbered(before, n, beforeEntries)
      const b = objectNumbered(after, n, afterEntries)
      if (a === undefined && b === undefined) continue
      if (a !== undefined && b !== undefined && canonical(a) === canonical(b)) continue
      if (a === undefined) this.newObjects.add(n)
      out.set(n, { before: a, after: b })
    }
    return out
  }

  private trailerAndCatalog() {
    const { before, after } = this.input
    const encrypt = (view: RevisionView) => canonical(view.trailer.get(PDFName.of('Encrypt')))
    if (encrypt(before) !== encrypt(after)) this.add('/Encrypt', 'trailer-modified', 'forbidden')
    const a = catalogOf(before)
    const b = catalogOf(after)
    if (!a || !b) {
      if (a !== b) this.add('/Root', 'catalog-modified', 'forbidden')
      return
    }
    for (const key of keysOf(a, b)) {
      if (key === 'AcroForm') continue
      if (canonical(a.get(PDFName.of(key))) === canonical(b.get(PDFName.of(key)))) continue
      const allowed: Record<string, ChangeKind> = {
        DSS: 'dss',
        Metadata: 'metadata',
        Extensions: 'info',
        Version: 'info',
      }
      const kind = allowed[key]
      this.add(`/${key}`, kind ?? 'catalog-modified', kind ? 'lta' : 'forbidden')
    }
  }

  private pageList() {
    const a = this.input.beforeRoles.pages.map((ref) => ref.objectNumber)
    const b = this.input.afterRoles.pages.map((ref) => ref.objectNumber)
    if (a.length !== b.length || a.some((n, i) => n !== b[i]))
      this.add('/Pages', 'pages-modified', 'forbidden')
  }

  private form() {
    const formOf = (view: RevisionView) => {
      const form = safeLookup(view.context, catalogOf(view)?.get(PDFName.of('AcroForm')))
      return form instanceof PDFDict ? form : undefined
    }
    const a = formOf(this.input.before)
    const b = formOf(this.input.after)
    const empty = this.input.after.context.obj({})
    for (const key of keysOf(a ?? empty, b ?? empty)) {
      if (key === 'Fields') continue
      const va = a?.get(PDFName.of(key))
      const vb = b?.get(PDFName.of(key))
      if (canonical(va) === canonical(vb)) continue
      if (key === 'SigFlags') this.add('/AcroForm', 'form-plumbing', 'lta')
      else if (key === 'DR' || key === 'DA' || key === 'NeedAppearances')
        this.add('/AcroForm', 'form-resources', 'form-fill')
      else this.add(`/AcroForm/${key}`, 'form-modified', 'forbidden')
    }
    const list = (form: PDFDict | undefined, view: RevisionView) => {
      const fields = safeLookup(view.context, form?.get(PDFName.of('Fields')))
      return fields instanceof PDFArray ? fields.asArray().map(canonical) : []
    }
    const before = new Set(list(a, this.input.before))
    const after = new Set(list(b, this.input.after))
    for (const item of before) if (!after.has(item)) this.add(item, 'form-field-removed', 'forbidden')
  }

  /** Existing fields filled or signed, new signature fields, new or removed fields. */
  private fields(changed: Map<number, { before?: PDFObject; after?: PDFObject }>) {
    const beforeByRef = new Map<number, FieldNode>()
    for (const field of this.input.beforeRoles.fields.values())
      if (field.ref) beforeByRef.set(field.ref.objectNumber, field)
    const afterRefs = new Set<number>()
    for (const field of this.input.afterRoles.fields.values()) {
      if (field.ref) afterRefs.add(field.ref.objectNumber)
      const previous = field.ref ? beforeByRef.get(field.ref.objectNumber) : undefined
      if (!previous) this.newField(field)
      else this.existingField(previous, field, changed)
    }
    for (const [n, field] of beforeByRef)
      if (!afterRefs.has(n)) this.add(`${n} 0 R`, 'form-field-removed', 'forbidden', field.name)
  }

  private newField(field: FieldNode) {
    const object = field.ref?.toString() ?? field.name
    if (field.type !== 'Sig') {
      this.add(object, 'form-field-added', 'forbidden', field.name)
      return
    }
    const visible = this.visible(field)
    const value = field.dict.get(PDFName.of('V'))
    if (value !== undefined) {
      this.signature(field, object, value, visible)
      return
    }
    if (!visible) {
      this.add(object, 'signature-field-added', 'lta', field.name)
      this.owners.set(field.name, 'lta')
    } else if (this.hasAppearance(field)) {
      // An empty signature field painting its own picture over the page (Sneaky Signature Attack).
      this.add(object, 'overlay', 'forbidden', field.name)
    } else {
      this.add(object, 'signature-field-added', 'signing', field.name)
      this.owners.set(field.name, 'signing')
    }
  }

  private existingField(
    previous: FieldNode,
    field: FieldNode,
    changed: Map<number, { before?: PDFObject; after?: PDFObject }>,
  ) {
    const object = field.ref!.toString()
    const keys = changed.has(field.ref!.objectNumber) ? differingKeys(previous.dict, field.dict) : []
    const widgetChanges = field.widgets
      .filter((widget) => widget !== field.ref && changed.has(widget.objectNumber))
      .map((widget) => {
        const before = safeLookup(this.input.before.context, widget)
        const after = safeLookup(this.input.after.context, widget)
        return before instanceof PDFDict && after instanceof PDFDict ? differingKeys(before, after) : ['*']
      })
    if (keys.length === 0 && widgetChanges.length === 0) return
    const widgetKeys = widgetChanges.flat()
    if (field.type === 'Sig') {
      const wasSigned = previous.dict.get(PDFName.of('V')) !== undefined
      const value = field.dict.get(PDFName.of('V'))
      const allowed = new Set(['V', 'AP', 'AS', 'Rect', 'F'])
      if (wasSigned || value === undefined || ![...keys, ...widgetKeys].every((key) => allowed.has(key))) {
        this.add(object, 'signature-field-modified', 'forbidden', field.name)
        return
      }
      this.signature(field, object, value, this.visible(field))
      return
    }
    const allowed = new Set(['V', 'AP', 'AS', 'DA'])
    if (![...keys, ...widgetKeys].every((key) => allowed.has(key))) {
      this.add(object, 'form-field-modified', 'forbidden', field.name)
      return
    }
    this.filled.add(field.name)
    this.owners.set(field.name, 'form-fill')
    this.add(object, 'form-filled', 'form-fill', field.name)
  }

  /** A field receiving signature value `value`: it must be a new signature of this very update. */
  private signature(field: FieldNode, object: string, value: PDFObject, visible: boolean) {
    const dict = safeLookup(this.input.after.context, value)
    const isNew = value instanceof PDFRef && this.newObjects.has(value.objectNumber)
    const signedHere =
      dict instanceof PDFDict && this.input.signedRevisionOf(dict, this.input.after) === this.revision
    if (dict instanceof PDFDict && isNew && this.beyondEnd(dict)) {
      // The update that brought this signature was cut short: it cannot be verified, nor called forged.
      this.damaged = true
      this.owners.set(field.name, 'signing')
      return
    }
    if (!(dict instanceof PDFDict) || !isNew || !signedHere) {
      this.add(object, 'signature-reused', 'forbidden', field.name)
      return
    }
    const documentTimestamp =
      dict.get(PDFName.of('Type')) === PDFName.of('DocTimeStamp') ||
      dict.get(PDFName.of('SubFilter')) === PDFName.of('ETSI.RFC3161')
    const level: ChangeLevel = documentTimestamp && !visible ? 'lta' : 'signing'
    this.signed.push({ name: field.name, documentTimestamp, visible })
    this.owners.set(field.name, level)
    this.add(object, documentTimestamp ? 'document-timestamp-added' : 'signature-added', level, field.name)
  }

  private beyondEnd(dict: PDFDict): boolean {
    const range = safeLookup(this.input.after.context, dict.get(PDFName.of('ByteRange')))
    if (!(range instanceof PDFArray) || range.size() !== 4) return false
    const [, , start, length] = range.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0))
    return start! + length! > this.input.fileLength
  }

  /** Per page: annotations removed (forbidden) and added (widgets of new signatures, or annotations). */
  private annotations() {
    const beforeAnnots = this.input.beforeRoles.annots
    const beforeFields = this.input.beforeRoles.widgetOwner
    const { afterRoles } = this.input
    for (const page of afterRoles.pages) {
      const before = new Set((beforeAnnots.get(page.objectNumber) ?? []).map(canonical))
      const after = (afterRoles.annots.get(page.objectNumber) ?? []).map((item) => ({
        item,
        key: canonical(item),
      }))
      const afterKeys = new Set(after.map((entry) => entry.key))
      for (const key of before) if (!afterKeys.has(key)) this.add(key, 'annotation-removed', 'forbidden')
      for (const { item, key } of after) {
        if (before.has(key)) continue
        const owner = item instanceof PDFRef ? afterRoles.widgetOwner.get(item.objectNumber) : undefined
        if (owner !== undefined) {
          // A widget newly placed on the page: only for a signature field that is new or signed now.
          const level = this.owners.get(owner)
          const wasWidget = item instanceof PDFRef && beforeFields.has(item.objectNumber)
          if (level === undefined || wasWidget || level === 'form-fill')
            this.add(key, 'form-field-added', 'forbidden', owner)
          continue
        }
        this.add(key, 'annotation-added', 'annotation')
        this.owners.set(key, 'annotation')
      }
    }
    for (const page of this.input.beforeRoles.pages) {
      if (afterRoles.pages.some((ref) => ref.objectNumber === page.objectNumber)) continue
      for (const item of beforeAnnots.get(page.objectNumber) ?? [])
        this.add(canonical(item), 'annotation-removed', 'forbidden')
    }
  }

  /** Every changed object, judged by each of its roles before and after the update. */
  private objects(changed: Map<number, { before?: PDFObject; after?: PDFObject }>) {
    const { beforeRoles, afterRoles } = this.input
    // A changed annotation may bring a new appearance with it (at the annotation level).
    for (const [n, { before }] of changed)
      if (before !== undefined && beforeRoles.roles.get(n)?.some((role) => role.kind === 'annotation'))
        this.owners.set(`${n} 0 R`, 'annotation')
    for (const [n, { before, after }] of changed) {
      const roles = [...(beforeRoles.roles.get(n) ?? []), ...(afterRoles.roles.get(n) ?? [])]
      if (roles.length === 0) continue
      const object = `${n} 0 R`
      if (after === undefined) {
        const harmless = roles.every((role) => ['dss', 'info', 'metadata'].includes(role.kind))
        this.add(object, harmless ? 'dss' : 'object-deleted', harmless ? 'lta' : 'forbidden')
        continue
      }
      for (const role of roles) {
        const judged = this.judge(role, before !== undefined, n)
        if (judged) this.add(object, judged.kind, judged.level, judged.field)
      }
    }
  }

  private judge(
    role: Role,
    existed: boolean,
    n: number,
  ): { kind: ChangeKind; level: ChangeLevel; field?: string } | undefined {
    switch (role.kind) {
      // Judged as containers above.
      case 'catalog':
      case 'acroform':
      case 'fields':
      case 'field':
      case 'widget':
      case 'annots':
        return undefined
      case 'page':
        return this.pageChanged(n)
      case 'annotation':
        return existed ? { kind: 'annotation-modified', level: 'annotation' } : undefined
      case 'annotation-other':
        return { kind: 'annotation-modified', level: 'annotation' }
      case 'signature-value':
        return existed && this.input.beforeRoles.roles.get(n)?.some((r) => r.kind === 'signature-value')
          ? { kind: 'signature-modified', level: 'forbidden' }
          : undefined
      case 'appearance':
      case 'field-value':
      case 'field-other': {
        const level = role.owner ? this.owners.get(role.owner) : undefined
        if (level) return undefined
        const kind: ChangeKind = role.kind === 'appearance' ? 'appearance-modified' : 'form-field-modified'
        return { kind, level: 'forbidden', field: role.owner }
      }
      case 'form-resources':
        return { kind: 'form-resources', level: 'form-fill' }
      case 'dss':
        return { kind: 'dss', level: 'lta' }
      case 'metadata':
        return { kind: 'metadata', level: 'lta' }
      case 'info':
        return { kind: 'info', level: 'lta' }
      case 'page-tree':
        return { kind: 'page-tree-modified', level: 'forbidden' }
      case 'content':
        return { kind: 'content-modified', level: 'forbidden' }
      case 'resource':
        return { kind: 'resource-modified', level: 'forbidden' }
      case 'other':
        return { kind: 'object-modified', level: 'forbidden' }
    }
  }

  /** A page may change its /Annots only (judged in annotations()). */
  private pageChanged(n: number): { kind: ChangeKind; level: ChangeLevel } | undefined {
    const before = safeLookup(this.input.before.context, PDFRef.of(n))
    const after = safeLookup(this.input.after.context, PDFRef.of(n))
    if (!(before instanceof PDFDict) || !(after instanceof PDFDict))
      return { kind: 'page-modified', level: 'forbidden' }
    const keys = differingKeys(before, after).filter((key) => key !== 'Annots')
    return keys.length > 0 ? { kind: 'page-modified', level: 'forbidden' } : undefined
  }

  private widgetsOf(field: FieldNode): PDFDict[] {
    return field.widgets.flatMap((ref) => {
      const dict = safeLookup(this.input.after.context, ref)
      return dict instanceof PDFDict ? [dict] : []
    })
  }

  /** Some widget has an area and is neither hidden nor no-view (annotation flags 2 and 32). */
  private visible(field: FieldNode): boolean {
    const widgets = field.widgets.length > 0 ? this.widgetsOf(field) : [field.dict]
    return widgets.some((widget) => {
      const rect = safeLookup(this.input.after.context, widget.get(PDFName.of('Rect')))
      const flags = safeLookup(this.input.after.context, widget.get(PDFName.of('F')))
      const f = flags instanceof PDFNumber ? flags.asNumber() : 0
      if ((f & 2) !== 0 || (f & 32) !== 0 || !(rect instanceof PDFArray) || rect.size() !== 4) return false
      const [x1, y1, x2, y2] = rect.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0))
      return Math.abs((x2! - x1!) * (y2! - y1!)) > 0
    })
  }

  private hasAppearance(field: FieldNode): boolean {
    const widgets = field.widgets.length > 0 ? this.widgetsOf(field) : [field.dict]
    return widgets.some((widget) => widget.get(PDFName.of('AP')) !== undefined)
  }
}

function sameLocation(
  a: XrefLocation,
  b: XrefLocation | undefined,
  beforeEntries: Map<number, XrefLocation>,
  afterEntries: Map<number, XrefLocation>,
): boolean {
  if (!b) return false
  if (a.type === 'offset' && b.type === 'offset')
    return a.offset === b.offset && a.generation === b.generation
  if (a.type === 'compressed' && b.type === 'compressed')
    return (
      a.stream === b.stream &&
      a.index === b.index &&
      sameLocation(
        afterEntries.get(a.stream) ?? { type: 'free' },
        beforeEntries.get(b.stream),
        beforeEntries,
        afterEntries,
      )
    )
  return a.type === 'free' && b.type === 'free'
}

function objectNumbered(
  view: RevisionView,
  n: number,
  entries: Map<number, XrefLocation> | undefined,
): PDFObject | undefined {
  const entry = entries?.get(n)
  if (entries && (!entry || entry.type === 'free')) return undefined
  const generation = entry?.type === 'offset' ? entry.generation : 0
  const object = safeLookup(view.context, PDFRef.of(n, generation))
  return object === PDFNull ? undefined : object
}

const keysOf = (a: PDFDict, b: PDFDict) => [
  ...new Set([...a.keys(), ...b.keys()].map((key) => nameText(key))),
]

function differingKeys(a: PDFDict, b: PDFDict): string[] {
  return keysOf(a, b).filter((key) => canonical(a.get(PDFName.of(key))) !== canonical(b.get(PDFName.of(key))))
}

/**
 * A comparable text for an object as written (references stay references): dictionary keys sorted,
 * strings as their bytes, numbers as numbers, streams as their dictionary and a hash of their raw data.
 */
export function canonical(object: PDFObject | undefined): string {
  if (object === undefined) return '∅'
  if (object instanceof PDFRef) return `${object.objectNumber} ${object.generationNumber} R`
  if (object instanceof PDFName) return `/${nameText(object)}`
  if (object instanceof PDFNumber) return String(object.asNumber())
  if (object instanceof PDFString || object instanceof PDFHexString)
    return `<${Buffer.from(object.asBytes()).toString('hex')}>`
  if (object instanceof PDFBool || object === PDFNull) return object.toString()
  if (object instanceof PDFArray) return `[${object.asArray().map(canonical).join(' ')}]`
  if (object instanceof PDFRawStream) {
    const hash = createHash('sha256').update(object.contents).digest('hex')
    return `${canonical(object.dict)}stream:${hash}`
  }
  if (object instanceof PDFDict) {
    const entries = [...object.entries()]
      .map(([key, value]) => `/${nameText(key)} ${canonical(value)}`)
      .sort()
    return `<<${entries.join(' ')}>>`
  }
  return object.toString()
}

function dedupe(changes: Change[]): Change[] {
  const seen = new Set<string>()
  return changes.filter((change) => {
    const key = `${change.object}|${change.kind}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
