import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  agencySealAppearance,
  leaderAppearance,
  SignerBlockNotFoundError,
} from '../../src/signatures/appearance/index.ts'
import { demoSealPng, demoSignaturePng } from '../../src/signatures/appearance/demo-images.ts'
import type { Rect } from '../../src/pades/pdf/index.ts'
import { openPdf } from '../../src/text/pdf-document.ts'
import { signedByLeader } from '../helpers/test-pki.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const CORPUS = path.resolve(ROOT, '../shared/corpus/docs')
const has = (tool: string) => spawnSync(tool, ['-v'], { stdio: 'ignore' }).error === undefined
const peersPresent = has('pdfsig') && has('qpdf') && has('pdftoppm')
const SIGNATURE = readFileSync(path.join(ROOT, 'src/signatures/appearance/assets/demo-signature.png'))
const SEAL = readFileSync(path.join(ROOT, 'src/signatures/appearance/assets/demo-seal.png'))
const DPI = 100

interface Truth {
  signer_title: string
  signer_name: string
  pages: number
}
const truth = (id: string): Truth => JSON.parse(readFileSync(path.join(CORPUS, `${id}.meta.json`), 'utf8'))
const corpusPdf = (id: string) => new Uint8Array(readFileSync(path.join(CORPUS, `${id}.pdf`)))

/** pdfjs items on the last page whose text is exactly `text` (the truth's title or name). */
async function itemOnLastPage(bytes: Uint8Array, text: string): Promise<TextItem> {
  const doc = await openPdf(bytes)
  const page = await doc.getPage(doc.numPages)
  const items = (await page.getTextContent()).items.filter((item): item is TextItem => 'str' in item)
  await doc.destroy()
  const found = items.filter((item) => item.str.normalize('NFC') === text.normalize('NFC'))
  expect(found.length, text).toBeGreaterThan(0)
  return found.at(-1)!
}

/** Counts pixels matching `is` inside a page-space rectangle of a pdftoppm render (y down, DPI). */
function countPixels(
  png: PNG,
  pageHeight: number,
  [x0, y0, x1, y1]: Rect,
  is: (r: number, g: number, b: number) => boolean,
) {
  const s = DPI / 72
  let count = 0
  for (let y = Math.ceil((pageHeight - y1) * s); y < Math.floor((pageHeight - y0) * s); y++) {
    for (let x = Math.ceil(x0 * s); x < Math.floor(x1 * s); x++) {
      const i = (y * png.width + x) * 4
      if (is(png.data[i]!, png.data[i + 1]!, png.data[i + 2]!)) count++
    }
  }
  return count
}
const blueish = (r: number, g: number, b: number) => b > 120 && r < 100 && g < 120 && b - r > 60
const reddish = (r: number, g: number, b: number) => r > 150 && g < 100 && b < 100

let dir = ''

describe('leader signature placed in the signer block', () => {
  it.each(['001', '002', '009'])(
    'GIVEN corpus %s WHEN the signer block is looked up THEN the image lies between the title line and the name, under both',
    async (id) => {
      const bytes = corpusPdf(id)
      const meta = truth(id)
      const placed = await leaderAppearance(bytes, { image: SIGNATURE })
      expect(placed.pageIndex).toBe(meta.pages - 1)
      expect(placed.block?.title.text).toBe(meta.signer_title)
      expect(placed.block?.name.text).toBe(meta.signer_name)
      const title = await itemOnLastPage(bytes, meta.signer_title)
      const name = await itemOnLastPage(bytes, meta.signer_name)
      const [x0, y0, x1, y1] = placed.appearance.rect
      // Below the title's baseline (descenders included), above the name's capitals and diacritics.
      expect(y1).toBeLessThan((title.transform[5] as number) - 0.2 * title.height)
      expect(y0).toBeGreaterThan((name.transform[5] as number) + 0.9 * name.height)
      expect(y1 - y0).toBeGreaterThan(30)
      const centre = (item: TextItem) => (item.transform[4] as number) + item.width / 2
      const blockCentre = (centre(title) + centre(name)) / 2
      expect(Math.abs((x0 + x1) / 2 - blockCentre)).toBeLessThan(2)
    },
  )

  it('GIVEN an explicit placement WHEN the leader appearance is built THEN the image is fitted into that rectangle on that page', async () => {
    const placed = await leaderAppearance(corpusPdf('001'), {
      image: demoSignaturePng(),
      placement: { pageIndex: 0, rect: [300, 100, 500, 200] },
    })
    expect(placed.pageIndex).toBe(0)
    expect(placed.block).toBeUndefined()
    // 600 × 240 px into 200 × 100 pt: 200 × 80, centred vertically.
    expect(placed.appearance.rect).toEqual([300, 110, 500, 190])
  })

  it('GIVEN a page without a signer block (a scan) WHEN looked up THEN it says so instead of guessing', async () => {
    const scan = new Uint8Array(readFileSync(path.join(CORPUS, '001.scan.pdf')))
    await expect(leaderAppearance(scan, { image: SIGNATURE })).rejects.toBeInstanceOf(
      SignerBlockNotFoundError,
    )
  })

  it('GIVEN the seal placement THEN it is 36 mm across and its right edge is a third into the signature', () => {
    const leaderRect: Rect = [344, 426, 499, 488]
    const { appearance } = agencySealAppearance(new Uint8Array(), {
      leaderRect,
      pageIndex: 1,
      sealPng: demoSealPng(),
    })
    const [x0, y0, x1, y1] = appearance.rect
    expect(x1 - x0).toBeCloseTo((36 * 72) / 25.4, 1)
    expect(y1 - y0).toBeCloseTo(x1 - x0, 1)
    expect(x1).toBeCloseTo(344 + 155 / 3, 1)
    expect((y0 + y1) / 2).toBeCloseTo(457, 1)
  })
})

describe.skipIf(!peersPresent)('leader and agency signatures rendered and verified', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sig-appearance-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  function render(file: string, pageIndex: number): PNG {
    const prefix = path.join(dir, `${path.basename(file, '.pdf')}-render`)
    const page = String(pageIndex + 1)
    execFileSync('pdftoppm', ['-r', String(DPI), '-png', '-singlefile', '-f', page, '-l', page, file, prefix])
    return PNG.sync.read(readFileSync(`${prefix}.png`))
  }

  async function expectNd30Look(file: string, original: Uint8Array) {
    const leader = await leaderAppearance(original, { image: SIGNATURE })
    const seal = agencySealAppearance(original, {
      leaderRect: leader.appearance.rect,
      pageIndex: leader.pageIndex,
      sealPng: SEAL,
    })
    const png = render(file, leader.pageIndex)
    const pageHeight = (png.height * 72) / DPI
    const [x0, y0, x1, y1] = leader.appearance.rect
    const third = (x1 - x0) / 3
    const rightPart: Rect = [x0 + third, y0, x1, y1]
    const leftThird: Rect = [x0, y0, x0 + third, y1]
    expect(countPixels(png, pageHeight, rightPart, blueish)).toBeGreaterThan(300)
    expect(countPixels(png, pageHeight, leftThird, reddish)).toBeGreaterThan(100)
    // The seal stops about a third of the way in: the rest of the signature stays blue, not red.
    expect(countPixels(png, pageHeight, [x0 + third + 3, y0, x1, y1], reddish)).toBeLessThan(20)
    // Red left of the signature too: the seal is centred on its left edge, not inside it.
    expect(countPixels(png, pageHeight, [seal.appearance.rect[0], y0, x0, y1], reddish)).toBeGreaterThan(100)
  }

  function expectPeersAccept(file: string) {
    const report = spawnSync('pdfsig', [file], { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } })
    const text = report.stdout + report.stderr
    expect(text.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2)
    expect(text).toContain('Signer Certificate Common Name: Nguyễn Văn An')
    expect(text).toContain('Signer Certificate Common Name: Ủy ban nhân dân tỉnh Hòa Giang')
    const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' })
    expect(check.status, check.stdout + check.stderr).toBe(0)
    expect(check.stdout).toContain('No syntax or stream encoding errors found')
  }

  it('GIVEN corpus 001 WHEN npm run sign:demo signs it THEN pdfsig finds both signatures valid, qpdf is clean and the page shows the blue signature under a red seal over its left third', async () => {
    const out = path.join(dir, '001-demo.pdf')
    const run = spawnSync('npm', ['run', '--silent', 'sign:demo', '--', path.join(CORPUS, '001.pdf'), out], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toContain('Signer block on page 2: "CHỦ TỊCH" … "Phạm Quốc Thắng"')
    expectPeersAccept(out)
    await expectNd30Look(out, corpusPdf('001'))
  }, 60_000)

  it('GIVEN corpus 002 (KT. signer block) WHEN signed through the API by the leader and then under the seal THEN the first signature survives and the page shows both images', async () => {
    const { embedSignature, prepareSignature } = await import('../../src/pades/pdf/index.ts')
    const original = corpusPdf('002')
    const leader = await leaderAppearance(original, { image: SIGNATURE })
    const first = await prepareSignature(original, {
      pageIndex: leader.pageIndex,
      appearance: leader.appearance,
    })
    const once = embedSignature(first, signedByLeader(first.digest()))
    const seal = agencySealAppearance(once, {
      leaderRect: leader.appearance.rect,
      pageIndex: leader.pageIndex,
      sealPng: SEAL,
    })
    const second = await prepareSignature(once, { pageIndex: seal.pageIndex, appearance: seal.appearance })
    const file = path.join(dir, '002-api.pdf')
    writeFileSync(file, embedSignature(second, signedByLeader(second.digest())))
    const report = execFileSync('pdfsig', [file], { encoding: 'utf8' })
    expect(report.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2)
    await expectNd30Look(file, original)
  }, 60_000)
})
