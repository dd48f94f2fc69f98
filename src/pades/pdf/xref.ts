/** Pure cross-reference formatting: classic tables and xref streams for one incremental section. */

/** An object written in use in this section (xref type 1). */
export interface XrefEntry {
  objectNumber: number
  generation: number
  offset: number
}

export interface XrefSubsection {
  first: number
  entries: XrefEntry[]
}

/** Sorts entries and splits them into runs of consecutive object numbers. */
export function xrefSubsections(entries: readonly XrefEntry[]): XrefSubsection[] {
  const sorted = [...entries].sort((a, b) => a.objectNumber - b.objectNumber)
  const sections: XrefSubsection[] = []
  for (const entry of sorted) {
    const last = sections.at(-1)
    const previous = last?.entries.at(-1)
    if (previous?.objectNumber === entry.objectNumber) {
      throw new Error(`Object ${entry.objectNumber} written twice in one section`)
    }
    if (last && previous && previous.objectNumber + 1 === entry.objectNumber) last.entries.push(entry)
    else sections.push({ first: entry.objectNumber, entries: [entry] })
  }
  return sections
}

/** A classic `xref` table; every entry line is exactly 20 bytes as the spec requires. */
export function formatXrefTable(entries: readonly XrefEntry[]): string {
  let out = 'xref\n'
  for (const section of xrefSubsections(entries)) {
    out += `${section.first} ${section.entries.length}\n`
    for (const e of section.entries) {
      out += `${String(e.offset).padStart(10, '0')} ${String(e.generation).padStart(5, '0')} n\r\n`
    }
  }
  return out
}

export interface XrefStreamData {
  /** /W widths: type, offset, generation. */
  widths: [number, number, number]
  /** /Index pairs: first object number, count. */
  index: number[]
  /** Unfiltered row data, big-endian fields. */
  data: Uint8Array
}

const byteWidth = (value: number) => Math.max(1, Math.ceil(Math.log2(value + 1) / 8))

/** Rows for an xref stream; offset width grows with the file so files over 4 GiB still work. */
export function xrefStreamData(entries: readonly XrefEntry[]): XrefStreamData {
  const sections = xrefSubsections(entries)
  const all = sections.flatMap((s) => s.entries)
  const widths: [number, number, number] = [
    1,
    byteWidth(Math.max(...all.map((e) => e.offset))),
    byteWidth(Math.max(...all.map((e) => e.generation))),
  ]
  const rowSize = widths[0] + widths[1] + widths[2]
  const data = new Uint8Array(rowSize * all.length)
  all.forEach((e, row) => {
    const at = row * rowSize
    data[at] = 1
    writeBigEndian(data, at + 1, widths[1], e.offset)
    writeBigEndian(data, at + 1 + widths[1], widths[2], e.generation)
  })
  return { widths, index: sections.flatMap((s) => [s.first, s.entries.length]), data }
}

function writeBigEndian(target: Uint8Array, at: number, width: number, value: number) {
  let rest = value
  for (let i = width - 1; i >= 0; i--) {
    target[at + i] = rest % 256
    rest = Math.floor(rest / 256)
  }
}
