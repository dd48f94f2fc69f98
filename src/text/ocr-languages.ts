import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { OcrUnavailableError } from './errors.ts'

const prepared = new Map<string, string>()

/**
 * One local directory holding vie.traineddata.gz and eng.traineddata.gz. tesseract.js reads every
 * language from a single `langPath`, but each @tesseract.js-data package has its own directory, so the
 * files are linked side by side in a private temporary directory (once per process). Missing files
 * throw here, before any worker is started.
 */
export function prepareLanguageDir(dirs: { vie: string; eng: string }): string {
  const files = Object.entries(dirs).map(([code, dir]) => path.resolve(dir, `${code}.traineddata.gz`))
  for (const file of files)
    if (!fs.existsSync(file)) throw new OcrUnavailableError(`OCR language data missing: ${file}`)
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
