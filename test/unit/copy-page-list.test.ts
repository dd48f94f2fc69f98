import { describe, expect, it } from 'vitest'
import { parsePages } from '../../src/web/pages/outgoing/page-list.ts'

describe('the pages of a trích sao as the clerk types them', () => {
  it('GIVEN pages and ranges separated by commas or spaces WHEN read THEN each page once, in the order given', () => {
    expect(parsePages('1, 3-4')).toEqual([1, 3, 4])
    expect(parsePages('2 2;5-6, 5')).toEqual([2, 5, 6])
  })

  it('GIVEN nothing, a word, page 0, a backward or an enormous range WHEN read THEN no list (the dialog asks again)', () => {
    for (const text of ['', ' , ', 'x', '0', '4-3', '1-5000', '1.5', '-2'])
      expect(parsePages(text)).toBeNull()
  })
})
