import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { OcrUnavailableError } from './errors.ts'

const prepared = new Map<string, string>()

/**
 * One local directory holding vie.traineddata.gz and eng.traineddata.gz. tesseract.js reads every
 * language from a single `langPath`, but each @tesseract.js-data package has its own directory, so the
 * files are linked side by side in a private temporary directory (once per process). Missing or
 * unreadable files throw here, before any worker starts: tesseract.js handles a failed start badly
 * (createWorker never settles, then answers the rejected job again, which throws outside any promise).
 */
export function prepareLanguageDir(dirs: { vie: string; eng: string }): string {
  const files = Object.entries(dirs).map(([code, dir]) => path.resolve(dir, `${code}.traineddata.gz`))
  for (const file of files) {
    if (!fs.existsSync(file)) throw new OcrUnavailableError(`OCR language data missing: ${file}`)
    if (!looksLikeTraineddata(file)) throw new OcrUnavailableError(`OCR language data unreadable: ${file}`)
  }
  if (path.resolve(dirs.vie) === path.resolve(dirs.eng)) return path.resolve(dirs.vie)
  const key = files.join('\n')
  const known = prepared.get(key)
  if (known && fs.existsSync(known)) return known
  // mkdtemp: a fresh directory only this process controls (a fixed name in /tmp could be planted).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vanthu-tessdata-'))
  for (const file of files) {
    const link = path.join(dir, path.basename(file))
    try {
      fs.symlinkSync(file, link)
    } catch {
      fs.copyFileSync(file, link)
    }
  }
  prepared.set(key, dir)
  return dir
}

// tesseract's TessdataManager: an int32 entry count, then one int64 offset per entry (-1 = absent).
const MAX_ENTRIES = 64

/** A cheap structural check of a gzipped .traineddata: it inflates, and its offset table is sane. */
function looksLikeTraineddata(file: string): boolean {
  try {
    const data = gunzipSync(fs.readFileSync(file))
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    const entries = view.getInt32(0, true)
    if (entries < 1 || entries > MAX_ENTRIES || data.length < 4 + entries * 8) return false
    let present = 0
    for (let i = 0; i < entries; i++) {
      const offset = Number(view.getBigInt64(4 + i * 8, true))
      if (offset === -1) continue
      if (offset < 4 + entries * 8 || offset >= data.length) return false
      present++
    }
    return present > 0
  } catch {
    return false
  }
}
