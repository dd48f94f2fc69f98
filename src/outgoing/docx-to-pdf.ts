/**
 * DOCX → PDF with LibreOffice, run headless as a separate program (it is not linked into vanthu: MPL-2.0,
 * called like any command). The DOCX stays the editable source of a draft; the PDF is what is reviewed
 * and signed. One conversion at a time per process, in a profile directory of this process (LibreOffice
 * refuses a profile another instance holds), with a time limit after which the whole process group is
 * killed. The import filter is forced to Word 2007+, so a file that is not a DOCX fails instead of being
 * read as plain text; macros are never run (security level "very high").
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { AppError } from '../platform/errors.ts'

export interface DocxConverterOptions {
  /** The LibreOffice command (`soffice` on the PATH by default). */
  command: string
  /** Where profiles and scratch files live (DATA_DIR/tmp). */
  workDir: string
  timeoutMs: number
}

/** The PDF of a DOCX, or a 422 naming why not (LibreOffice missing, the file unreadable, too slow). */
export interface DocxConverter {
  toPdf(docx: Buffer, fileName: string): Promise<Buffer>
}

const MACRO_SECURITY =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
  '<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>\n' +
  '<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>\n' +
  '</oor:items>\n'

/** A ZIP whose entries include the main part of a WordprocessingML package. */
export function looksLikeDocx(bytes: Buffer): boolean {
  if (bytes.length < 30 || bytes.readUInt32LE(0) !== 0x04034b50) return false
  // Entry names sit uncompressed in the local headers and the central directory.
  return bytes.includes('word/document.xml') && bytes.includes('[Content_Types].xml')
}

export function libreOfficeConverter(options: DocxConverterOptions): DocxConverter {
  let queue: Promise<unknown> = Promise.resolve()
  const profile = path.join(options.workDir, `libreoffice-profile-${process.pid}`)
  const run = async (docx: Buffer, fileName: string) => {
    if (!looksLikeDocx(docx))
      throw new AppError('docx-conversion-failed', {
        detail: `${fileName}: không phải tệp DOCX (Word 2007 trở lên). / not a DOCX file (Word 2007 or later).`,
      })
    await mkdir(path.join(profile, 'user'), { recursive: true })
    await writeFile(path.join(profile, 'user', 'registrymodifications.xcu'), MACRO_SECURITY, {
      flag: 'wx',
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
    })
    const scratch = await mkdtemp(path.join(options.workDir, 'docx-'))
    try {
      const input = path.join(scratch, 'du-thao.docx')
      await writeFile(input, docx)
      const { stderr } = await runLibreOffice(options, profile, input, scratch)
      const output = path.join(scratch, 'du-thao.pdf')
      if (!(await stat(output).catch(() => undefined)))
        throw new AppError('docx-conversion-failed', {
          detail: `${fileName}: ${lastLine(stderr) || 'LibreOffice không tạo được PDF. / LibreOffice produced no PDF.'}`,
        })
      return await readFile(output)
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }
  return {
    toPdf(docx, fileName) {
      const next = queue.then(() => run(docx, fileName))
      queue = next.catch(() => undefined)
      return next
    },
  }
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !/javaldx|java may not function/.test(line))
      .at(-1) ?? ''
  )
}

function runLibreOffice(options: DocxConverterOptions, profile: string, input: string, outDir: string) {
  return new Promise<{ stderr: string }>((resolve, reject) => {
    const child = spawn(
      options.command,
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--norestore',
        '--nolockcheck',
        '--infilter=MS Word 2007 XML',
        '--convert-to',
        'pdf:writer_pdf_Export',
        '--outdir',
        outDir,
        input,
      ],
      { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 8192) stderr += chunk
    })
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {}
      reject(
        new AppError('docx-conversion-failed', {
          detail: `LibreOffice không chuyển xong trong ${options.timeoutMs / 1000} giây. / LibreOffice did not finish within ${options.timeoutMs / 1000} s.`,
        }),
      )
    }, options.timeoutMs)
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(
        error.code === 'ENOENT'
          ? new AppError('docx-converter-missing', { detail: `${options.command}: not found` })
          : error,
      )
    })
    child.on('close', () => {
      clearTimeout(timer)
      resolve({ stderr })
    })
  })
}
