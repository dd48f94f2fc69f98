/**
 * Check 1 — structure: which revisions the file really has, and what is wrong with its cross-references.
 *
 * A revision is a prefix of the file that ends with `startxref N %%EOF`, where N is a cross-reference
 * section (table or stream) that parses, and some section of the chain read from N ends right before
 * that `startxref` (so a `%%EOF` written inside a string or a stream is not a revision end). Revisions are
 * found by scanning, not only by following /Prev, so an update that drops /Prev (a complete xref that
 * hides the earlier ones) is still seen for what it is. Findings, never exceptions:
 *
 *   revision-chain-broken  an update's /Prev does not name the previous revision's section
 *   xref-offset-wrong      an update's xref entry does not point at its object (a repairing reader then
 *                          scans the file and may show other objects than a strict one)
 *   unlisted-object        an update carries an object its cross-reference section does not list
 *   trailing-data          bytes after the last revision (with `objects` when they hold object definitions)
 *   damaged                no complete revision could be read, or the bytes after the last one are an update
 *                          cut short (a signature's remains, an object without its end)
 */
import { PDFContext, PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRawStream } from 'pdf-lib'
import { asciiAt, indexOfToken, skipWhitespace } from '../../pdf/pdf-bytes.ts'
import { readXrefChain, readXrefSection, type XrefLocation } from '../../pdf/xref-reader.ts'

export class NotAPdfError extends Error {
  override name = 'NotAPdfError'
}

export interface Revision {
  /** 0 for the original document, then one per incremental update, oldest first. */
  index: number
  /** The offset `startxref` gives: this revision's newest cross-reference section. */
  xrefOffset: number
  /** Offset just past `%%EOF`. */
  end: number
  /** Where a signature's /ByteRange may end for this revision: `end`, and after its end-of-line. */
  ends: number[]
  trailer: PDFDict
  /** /Prev of this revision's section, when it has one. */
  prev: number | undefined
  /** Entries of this revision's own section (and its hybrid /XRefStm): what the update wrote. */
  entries: Map<number, XrefLocation>
  /** Every entry a reader of this revision uses (its chain, read on its own bytes), repaired offsets included. */
  merged: Map<number, XrefLocation>
}

export type StructureFinding =
  | { code: 'revision-chain-broken'; revision: number }
  | { code: 'xref-offset-wrong'; revision: number; object: number }
  | { code: 'unlisted-object'; revision: number; object: number }
  | { code: 'trailing-data'; bytes: number; objects: boolean }
  | { code: 'damaged' }

export interface FileStructure {
  bytes: Uint8Array
  /** Complete revisions, oldest first; empty when none could be read (then `damaged`). */
  revisions: Revision[]
  findings: StructureFinding[]
  /** Non-whitespace bytes after the end of the last revision. */
  trailingBytes: number
}

const MAX_FINDINGS_PER_KIND = 20

/** Throws NotAPdfError only when the bytes do not start like a PDF; everything else is a finding. */
export function readStructure(bytes: Uint8Array): FileStructure {
  if (!asciiAt(bytes, 0, 1024).includes('%PDF-')) throw new NotAPdfError('No %PDF- header')
  const findings: StructureFinding[] = []
  const revisions = findRevisions(bytes)
  if (revisions.length === 0) findings.push({ code: 'damaged' })
  for (const revision of revisions) {
    const previous = revisions[revision.index - 1]
    if (previous && revision.prev !== previous.xrefOffset)
      findings.push({ code: 'revision-chain-broken', revision: revision.index })
    repairOffsets(bytes, revision, findings)
    if (previous) findUnlisted(bytes, previous, revision, findings)
  }
  const last = revisions.at(-1)
  const tailStart = last ? Math.max(...last.ends) : 0
  const tail = last ? Buffer.from(bytes.subarray(tailStart)).toString('latin1') : ''
  const trailingBytes = tail.replace(/[\0\t\n\f\r ]/g, '').length
  if (trailingBytes > 0) {
    findings.push({ code: 'trailing-data', bytes: trailingBytes, objects: /\d+\s+\d+\s+obj\b/.test(tail) })
    // An update cut short: a signature's remains, or an object that never ends.
    if (last && (tail.includes('/ByteRange') || truncatedObject(tail))) findings.push({ code: 'damaged' })
  }
  return { bytes, revisions, findings: capFindings(findings), trailingBytes }
}

/** The last object definition in `tail` has no `endobj`: the file was cut inside it. */
function truncatedObject(tail: string): boolean {
  const lastHeader = [...tail.matchAll(/\d+\s+\d+\s+obj\b/g)].at(-1)
  return lastHeader !== undefined && !tail.includes('endobj', lastHeader.index)
}

/** The revision whose end is `end` (a /ByteRange end), if any. */
export const revisionEndingAt = (structure: FileStructure, end: number) =>
  structure.revisions.find((revision) => revision.ends.includes(end))

function findRevisions(bytes: Uint8Array): Revision[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const found: Revision[] = []
  for (let at = text.indexOf('startxref'); at >= 0; at = text.indexOf('startxref', at + 9)) {
    const match = /^startxref[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+%%EOF/.exec(asciiAt(bytes, at, 64))
    if (!match) continue
    const xrefOffset = Number(match[1])
    const end = at + match[0].length
    if (xrefOffset >= at) continue
    const revision = readRevision(bytes, xrefOffset, at, end)
    if (revision && !found.some((other) => other.end === end)) found.push(revision)
  }
  return found.sort((a, b) => a.end - b.end).map((revision, index) => ({ ...revision, index }))
}

/** The revision ending at `end`, or undefined when `startxref` at `startxrefAt` closes no section. */
function readRevision(bytes: Uint8Array, xrefOffset: number, startxrefAt: number, end: number) {
  const prefix = bytes.subarray(0, end)
  try {
    const scratch = PDFContext.create()
    const entries = new Map<number, XrefLocation>()
    const { trailer } = readXrefSection(prefix, xrefOffset, scratch, entries)
    const hybrid = trailer.get(PDFName.of('XRefStm'))
    if (hybrid instanceof PDFNumber) readXrefSection(prefix, hybrid.asNumber(), scratch, entries)
    if (!chainEndsBefore(prefix, xrefOffset, startxrefAt)) return undefined
    const merged = readXrefChain(prefix, xrefOffset, PDFContext.create())
    const prev = trailer.get(PDFName.of('Prev'))
    const ends = [end]
    if (bytes[end] === 0x0d) ends.push(end + 1)
    if (bytes[ends.at(-1)!] === 0x0a) ends.push(ends.at(-1)! + 1)
    return {
      index: 0,
      xrefOffset,
      end,
      ends,
      trailer,
      prev: prev instanceof PDFNumber ? prev.asNumber() : undefined,
      entries,
      merged,
    }
  } catch {
    return undefined
  }
}

/** Some section of the chain from `xrefOffset` ends (trailer or xref stream) right before `startxref`. */
function chainEndsBefore(bytes: Uint8Array, xrefOffset: number, startxrefAt: number): boolean {
  const seen = new Set<number>()
  const scratch = PDFContext.create()
  const queue = [xrefOffset]
  while (queue.length > 0 && seen.size < 10_000) {
    const offset = queue.shift()!
    if (seen.has(offset)) continue
    seen.add(offset)
    const sectionEnd = xrefSectionEnd(bytes, offset, scratch)
    if (sectionEnd !== undefined && skipWhitespaceAndComments(bytes, sectionEnd) === startxrefAt) return true
    const { trailer } = readXrefSection(bytes, offset, scratch)
    for (const key of ['Prev', 'XRefStm']) {
      const next = trailer.get(PDFName.of(key))
      if (next instanceof PDFNumber) queue.push(next.asNumber())
    }
  }
  return false
}

/** Offset just past a section's trailer dictionary, or past the `endobj` of an xref stream. */
export function xrefSectionEnd(bytes: Uint8Array, offset: number, context: PDFContext): number | undefined {
  const at = skipWhitespace(bytes, offset)
  if (asciiAt(bytes, at, 4) === 'xref') {
    const trailerAt = indexOfToken(bytes, 'trailer', at)
    if (trailerAt < 0) return undefined
    const dictStart = skipWhitespace(bytes, trailerAt + 7)
    return dictStart + parsedLength(bytes, dictStart, context)
  }
  const header = /^(\d+)[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+obj/.exec(asciiAt(bytes, at, 32))
  if (!header) return undefined
  const objectStart = at + header[0].length
  const afterObject = skipWhitespaceAndComments(
    bytes,
    objectStart + parsedLength(bytes, objectStart, context),
  )
  return asciiAt(bytes, afterObject, 6) === 'endobj' ? afterObject + 6 : undefined
}

function parsedLength(bytes: Uint8Array, start: number, context: PDFContext): number {
  const parser = PDFObjectParser.forBytes(bytes.subarray(start), context)
  const object = parser.parseObject()
  if (!(object instanceof PDFDict) && !(object instanceof PDFRawStream)) throw new Error('not a dictionary')
  // pdf-lib keeps the read position in its protected ByteStream.
  return (parser as unknown as { bytes: { offset(): number } }).bytes.offset()
}

function skipWhitespaceAndComments(bytes: Uint8Array, offset: number): number {
  let at = skipWhitespace(bytes, offset)
  while (bytes[at] === 0x25 /* % */ && asciiAt(bytes, at, 5) !== '%%EOF') {
    while (at < bytes.length && bytes[at] !== 0x0a && bytes[at] !== 0x0d) at++
    at = skipWhitespace(bytes, at)
  }
  return at
}

const OBJECT_HEADER = /^[\0\t\n\f\r ]*(\d+)[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+obj\b/

/**
 * Checks that each in-use entry a reader of this revision follows points at its object. A wrong one is
 * a finding and is replaced by the last definition of that object within the revision's bytes: what a
 * repairing reader (which rebuilds the table by scanning) would use.
 */
function repairOffsets(bytes: Uint8Array, revision: Revision, findings: StructureFinding[]) {
  let scanned: Map<number, { offset: number; generation: number }> | undefined
  for (const [number, entry] of revision.merged) {
    if (entry.type !== 'offset' || number === 0) continue
    const header = OBJECT_HEADER.exec(asciiAt(bytes, entry.offset, 48))
    if (header && Number(header[1]) === number && entry.offset < revision.end) continue
    findings.push({ code: 'xref-offset-wrong', revision: revision.index, object: number })
    scanned ??= scanObjectHeaders(bytes, 0, revision.end)
    const found = scanned.get(number)
    if (found) revision.merged.set(number, { type: 'offset', ...found })
    else revision.merged.set(number, { type: 'free' })
  }
}

/** The last definition of each object number between `from` and `to`. */
export function scanObjectHeaders(bytes: Uint8Array, from: number, to: number) {
  const found = new Map<number, { offset: number; generation: number }>()
  for (const { object, generation, offset } of objectHeaders(bytes, from, to))
    found.set(object, { offset, generation })
  return found
}

/** Objects defined in an update's bytes that its own cross-reference section does not list. */
function findUnlisted(
  bytes: Uint8Array,
  previous: Revision,
  revision: Revision,
  findings: StructureFinding[],
) {
  const listed = new Set(
    [...revision.entries.values()].flatMap((entry) =>
      entry.type === 'offset' ? [skipWhitespace(bytes, entry.offset)] : [],
    ),
  )
  listed.add(skipWhitespace(bytes, revision.xrefOffset))
  for (const { object, offset } of objectHeaders(bytes, Math.max(...previous.ends), revision.end)) {
    if (!listed.has(offset)) findings.push({ code: 'unlisted-object', revision: revision.index, object })
  }
}

/** Every `N G obj` that starts a line between `from` and `to` (offset of its first digit). */
function objectHeaders(bytes: Uint8Array, from: number, to: number) {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', from, to)
  const out: { object: number; generation: number; offset: number }[] = []
  for (const match of text.matchAll(/(^|[\r\n])([\t\f ]*)(\d+)[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+obj\b/g)) {
    out.push({
      object: Number(match[3]),
      generation: Number(match[4]),
      offset: from + match.index + match[1]!.length + match[2]!.length,
    })
  }
  return out
}

function capFindings(findings: StructureFinding[]): StructureFinding[] {
  const counts = new Map<string, number>()
  return findings.filter((finding) => {
    const count = (counts.get(finding.code) ?? 0) + 1
    counts.set(finding.code, count)
    return count <= MAX_FINDINGS_PER_KIND
  })
}
