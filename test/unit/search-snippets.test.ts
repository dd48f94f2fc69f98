import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseQuery } from '../../src/search/search-text.ts'
import { highlight } from '../../src/search/snippets.ts'

const corpus = (id: string) =>
  readFileSync(path.resolve(import.meta.dirname, `../../../shared/corpus/docs/${id}.txt`), 'utf8')

/** The marked words of a snippet, as the user reads them (NFC). */
const marked = (html: string | undefined) =>
  [...(html ?? '').matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]!.normalize('NFC'))

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Text that matches none of the words the tests ask for: corpus prose with its letters replaced. */
const filler = (length: number) => {
  const prose = corpus('004').replace(/\p{L}+/gu, (word) => 'x'.repeat(Math.min(word.length, 7)))
  return prose.repeat(Math.ceil(length / prose.length)).slice(0, length)
}

describe('search snippets', () => {
  it('GIVEN a query typed without diacritics WHEN a corpus page is highlighted THEN the words with diacritics are marked', () => {
    const html = highlight(
      'Tăng cường công tác quản lý đầu tư công trên địa bàn tỉnh.',
      parseQuery('quan ly'),
    )
    expect(marked(html)).toEqual(['quản', 'lý'])
  })

  it('GIVEN the corpus decision 001 WHEN asked for "quyết định" THEN the snippet marks each word with and without diacritics', () => {
    const text = corpus('001')
    for (const query of ['quyết định', 'quyet dinh', 'QUYẾT ĐỊNH']) {
      const words = marked(highlight(text, parseQuery(query))).map((word) => word.toLowerCase())
      expect(words.length).toBeGreaterThan(1)
      expect(new Set(words)).toEqual(new Set(['quyết', 'định']))
    }
  })

  it('GIVEN a page in NFD (as OCR may give it) WHEN highlighted THEN each mark holds whole letters with their combining marks', () => {
    const text = corpus('001').normalize('NFD')
    const html = highlight(text, parseQuery('kế hoạch đầu tư'))!
    expect(marked(html)).toContain('kế')
    expect(marked(html)).toContain('hoạch')
    // No mark opens on, or is followed by, a lone combining mark.
    expect(html).not.toMatch(/<mark>\p{M}|<\/mark>\p{M}/u)
    expect(html.normalize('NFC')).toContain(
      '<mark>kế</mark> <mark>hoạch</mark> <mark>đầu</mark> <mark>tư</mark>',
    )
  })

  it('GIVEN letters outside the BMP next to a match WHEN highlighted THEN no surrogate pair is split', () => {
    const text = `Báo cáo 𝐐𝐔𝐀𝐍 quản lý 😀 quản 𝐋𝐘 lý ${'😀'.repeat(300)} quản lý`
    const html = highlight(text, parseQuery('quản lý'))!
    expect(html).not.toMatch(LONE_SURROGATE)
    expect(marked(html)).toEqual(['quản', 'lý', 'quản', 'lý'])
    expect(html).toContain('𝐐𝐔𝐀𝐍 <mark>quản</mark>')
  })

  it('GIVEN a page where two words cluster after a lone one WHEN highlighted THEN the snippet is the cluster', () => {
    const text = `Quyết nghị đầu kỳ. ${filler(2_000)} Quyết định giao kế hoạch vốn. ${filler(2_000)}`
    const html = highlight(text, parseQuery('quyết định'))!
    expect(marked(html)).toEqual(['Quyết', 'định'])
    expect(html.startsWith('…')).toBe(true)
  })

  it('GIVEN a page whose words are far apart WHEN highlighted THEN the snippet is the first word with the text around it', () => {
    const text = `${filler(1_000)} Quyết nghị thông qua. ${filler(150_000)} đã định rõ. ${filler(500)}`
    const html = highlight(text, parseQuery('quyết định'))!
    expect(marked(html)).toEqual(['Quyết'])
    expect(html).toMatch(/^….*<mark>Quyết<\/mark> nghị thông qua\..*…$/)
  })

  it('GIVEN a 200 KB page with the only match near its end WHEN highlighted THEN the match is found and marked', () => {
    const text = `${filler(200_000)} Quyết định số 15/QĐ-UBND về kế hoạch ngân sách. ${filler(100)}`
    const html = highlight(text, parseQuery('ngân sách 15/QĐ-UBND'))!
    expect(marked(html)).toEqual(['15/QĐ-UBND', 'ngân', 'sách'])
    expect(html.length).toBeLessThan(400)
  })

  it('GIVEN a 200 KB page without the words WHEN highlighted THEN there is no snippet', () => {
    expect(highlight(filler(200_000), parseQuery('quyết định'))).toBeUndefined()
    expect(highlight(filler(200_000), parseQuery('"ủy ban nhân dân"'))).toBeUndefined()
  })

  it('GIVEN a long page WHEN a quoted phrase straddles where the page is searched part by part THEN it is still found', () => {
    for (const at of [19_990, 19_995, 20_000, 20_005, 40_000]) {
      const text = `${filler(at)} ỦY BAN NHÂN DÂN tỉnh ${filler(30_000)}`
      expect(marked(highlight(text, parseQuery('"ủy ban nhân dân"')))).toEqual(['ỦY BAN NHÂN DÂN'])
    }
  })

  it('GIVEN a match at the end of the first part searched WHEN another word follows just after it THEN both are marked', () => {
    const text = `${filler(19_985)} quyết ${'x '.repeat(20)}định ${filler(30_000)}`
    expect(marked(highlight(text, parseQuery('quyết định')))).toEqual(['quyết', 'định'])
  })

  it('GIVEN the last word typed as a prefix WHEN highlighted THEN whole words starting with it are marked, not longer prefixes of others', () => {
    const html = highlight('Kế hoạch hoạt động và kế toán. Hoa kế.', parseQuery('ke hoa'))
    expect(marked(html)).toEqual(['Kế', 'hoạch', 'hoạt', 'kế', 'Hoa', 'kế'])
  })

  it('GIVEN a page repeating a common word thousands of times WHEN highlighted THEN the snippet still marks it', () => {
    const text = 'tỉnh '.repeat(40_000)
    const html = highlight(text, parseQuery('tỉnh'))!
    expect(marked(html).length).toBeGreaterThan(30)
    expect(html.endsWith('…')).toBe(true)
  })

  it('GIVEN a page with HTML-like text WHEN highlighted THEN it is escaped around the marks', () => {
    expect(highlight('<b>quản</b> & lý', parseQuery('quản lý'))).toBe(
      '&lt;b&gt;<mark>quản</mark>&lt;/b&gt; &amp; <mark>lý</mark>',
    )
  })
})
