import { PDFArray, type PDFContext, PDFDict, PDFName, PDFNumber, PDFRef } from 'pdf-lib'
import { PdfUpdateError } from './pdf-bytes.ts'

const KIDS = PDFName.of('Kids')
const COUNT = PDFName.of('Count')

function pagesRoot(context: PDFContext, root: PDFRef): PDFDict {
  return context.lookup(context.lookup(root, PDFDict).get(PDFName.of('Pages')), PDFDict)
}

export function pageCount(context: PDFContext, root: PDFRef): number {
  const count = pagesRoot(context, root).lookup(COUNT)
  return count instanceof PDFNumber ? count.asNumber() : 0
}

/** Walks down /Kids using each node's /Count, loading only the nodes on the way to the page. */
export function findPageRef(context: PDFContext, root: PDFRef, index: number): PDFRef {
  let node = pagesRoot(context, root)
  let remaining = index
  for (let depth = 0; depth < 64; depth++) {
    let next: PDFDict | undefined
    for (const kid of node.lookup(KIDS, PDFArray).asArray()) {
      if (!(kid instanceof PDFRef)) continue
      const dict = context.lookup(kid, PDFDict)
      const count = dict.has(KIDS) ? (dict.lookup(COUNT, PDFNumber)?.asNumber() ?? 0) : 1
      if (remaining >= count) {
        remaining -= count
        continue
      }
      if (!dict.has(KIDS)) return kid
      next = dict
      break
    }
    if (!next) break
    node = next
  }
  throw new PdfUpdateError(`No page ${index + 1} in the page tree`)
}
