import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  agencyStampLines,
  textStampAppearance,
  vietnamIsoTime,
} from '../../src/signatures/appearance/index.ts'
import { embedSignature, prepareSignature } from '../../src/pades/pdf/index.ts'
import { testPki } from '../helpers/test-pki.ts'
import { signDigest } from '../../src/pades/cms/pades-cms.ts'

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus/docs')
const has = (tool: string) => spawnSync(tool, ['-v'], { stdio: 'ignore' }).error === undefined
const peersPresent = ['pdfsig', 'qpdf', 'pdftotext', 'pdffonts', 'pdftoppm'].every(has)
const SIGNED_AT = new Date('2026-11-27T07:03:05Z')
const AGENCY = 'Ủy ban nhân dân tỉnh Hòa Giang'
const COPY_LINES = agencyStampLines({ copyForm: 'SAO Y', agency: AGENCY, signedAt: SIGNED_AT })
const ATTACHMENT_LINES = agencyStampLines({ numberNotation: '2874/QĐ-UBND', signedAt: SIGNED_AT })

describe('ISO 8601 signing time in Vietnam', () => {
  it('GIVEN an instant WHEN written for the stamp THEN it is local time with +07:00 and whole seconds', () => {
    expect(vietnamIsoTime(SIGNED_AT)).toBe('2026-11-27T14:03:05+07:00')
    expect(vietnamIsoTime(new Date('2026-12-31T17:00:00.999Z'))).toBe('2027-01-01T00:00:00+07:00')
    expect(COPY_LINES).toEqual(['SAO Y', AGENCY, '2026-11-27T14:03:05+07:00'])
    // ND30 Phụ lục I: a separate attachment shows the number and notation and the time, no agency line.
    expect(ATTACHMENT_LINES).toEqual(['2874/QĐ-UBND', '2026-11-27T14:03:05+07:00'])
  })
})

describe.skipIf(!peersPresent)('agency text stamp on an attachment or a copy', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sig-stamp-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function stamp(id: string, lines: string[], label: string): Promise<string> {
    const input = readFileSync(path.join(CORPUS, `${id}.pdf`))
    const placed = await textStampAppearance(input, { lines, fontSize: 10 })
    const prepared = await prepareSignature(input, {
      pageIndex: placed.pageIndex,
      appearance: placed.appearance,
      signingTime: SIGNED_AT,
    })
    const { agency, intermediate, root } = testPki()
    const cms = signDigest({
      digest: prepared.digest(),
      privateKey: agency.privateKey,
      signerCert: agency.certPem,
      chain: [intermediate.der, root.der],
    })
    const file = path.join(dir, `${label}.pdf`)
    writeFileSync(file, embedSignature(prepared, cms))
    return file
  }

  it.each([
    ['an attachment', '002', ATTACHMENT_LINES],
    ['an electronic copy', '009', COPY_LINES],
  ])(
    'GIVEN %s WHEN the agency signs with the text stamp THEN page 1 carries the exact Vietnamese lines in an embedded subset font and the signature is valid',
    async (label, id, lines) => {
      const file = await stamp(id, lines, label.replaceAll(' ', '-'))
      expect(execFileSync('pdfsig', [file], { encoding: 'utf8' })).toContain('Signature is Valid.')
      const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' })
      expect(check.status, check.stdout).toBe(0)
      // pdftotext reads widget appearances: the text comes back through the stamp font's ToUnicode map.
      const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-'], {
        encoding: 'utf8',
      })
      const pageLines = text.split('\n').map((line) => line.trim())
      for (const line of lines) expect(pageLines).toContain(line)
      // Embedded, subset (six-letter tag), with a ToUnicode map: the Type0 font of the stamp.
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
      expect(fonts).toMatch(/^[A-Z]{6}\+LiberationSerif\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/m)
    },
  )

  it('GIVEN the stamped attachment WHEN page 1 is rendered THEN only black text appears in the top right corner, inside the margin', async () => {
    const file = await stamp('002', ATTACHMENT_LINES, 'render')
    const placed = await textStampAppearance(readFileSync(file), { lines: ATTACHMENT_LINES })
    const [x0, y0, x1, y1] = placed.appearance.rect
    expect(x1).toBeCloseTo(595.28 - 20, 1)
    expect(y1).toBeCloseTo(841.89 - 20, 1)
    execFileSync('pdftoppm', [
      '-r',
      '100',
      '-png',
      '-singlefile',
      '-f',
      '1',
      '-l',
      '1',
      file,
      path.join(dir, 'p1'),
    ])
    const png = PNG.sync.read(readFileSync(path.join(dir, 'p1.png')))
    const s = 100 / 72
    let dark = 0
    let coloured = 0
    for (let y = Math.floor((841.89 - y1) * s); y < Math.ceil((841.89 - y0) * s); y++) {
      for (let x = Math.floor(x0 * s); x < Math.ceil(x1 * s); x++) {
        const i = (y * png.width + x) * 4
        const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!]
        if (r < 100 && g < 100 && b < 100) dark++
        if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++
      }
    }
    expect(dark).toBeGreaterThan(200)
    expect(coloured).toBe(0)
  })
})
