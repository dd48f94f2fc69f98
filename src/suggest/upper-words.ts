import { fold } from './text-lines.ts'

/**
 * The words of header agency lines and signer titles are few and fixed (ND30 Phụ lục I: kinds of bodies,
 * administrative levels, fields of state management, titles, authority words). OCR often drops their
 * diacritics (`TINH`, `PHO GIAM DOC`): an upper-case line's phrases that fold to one of these are written
 * back as the decree spells them. Proper names (places, people) are not in the list and stay as read.
 */
const PHRASES = [
  'ỦY BAN NHÂN DÂN',
  'HỘI ĐỒNG NHÂN DÂN',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'KHOA HỌC VÀ CÔNG NGHỆ',
  'GIÁO DỤC VÀ ĐÀO TẠO',
  'TÀI NGUYÊN VÀ MÔI TRƯỜNG',
  'NÔNG NGHIỆP VÀ MÔI TRƯỜNG',
  'NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN',
  'LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI',
  'VĂN HÓA, THỂ THAO VÀ DU LỊCH',
  'THÔNG TIN VÀ TRUYỀN THÔNG',
  'GIAO THÔNG VẬN TẢI',
  'KẾ HOẠCH VÀ ĐẦU TƯ',
  'CHÁNH VĂN PHÒNG',
  'VĂN PHÒNG',
  'TÀI CHÍNH',
  'NỘI VỤ',
  'Y TẾ',
  'XÂY DỰNG',
  'TƯ PHÁP',
  'CÔNG THƯƠNG',
  'THANH TRA',
  'DÂN TỘC VÀ TÔN GIÁO',
  'CHỦ TỊCH',
  'GIÁM ĐỐC',
  'TRƯỞNG BAN',
  'TRƯỞNG PHÒNG',
  'CHÁNH THANH TRA',
  'THƯ KÝ',
  'CHỦ TỌA',
  'ĐẠI DIỆN',
  'BÊN GIAO',
  'BÊN NHẬN',
  'NGUYÊN',
  'PHÓ',
  'THỊ XÃ',
  'THỊ TRẤN',
  'THÀNH PHỐ',
  'TỈNH',
  'HUYỆN',
  'PHƯỜNG',
  'QUẬN',
  'SỞ',
  'XÃ',
  'TRUNG TÂM',
  'CỤC',
]

const byFold = PHRASES.map((phrase) => ({ phrase, key: fold(phrase) })).sort(
  (a, b) => b.key.length - a.key.length,
)

/** Restores the decree's spelling of known phrases in an upper-case line; other words are left alone. */
export function repairUpperLine(line: string): string {
  let text = line
    .replace(/^(TM|KT|Q|TL|TUQ)\s*[.,]\s*/u, '$1. ')
    .replace(/(?<=\p{Lu})[-_~](?=\p{Lu})/gu, ' ')
    .replace(/\s+/g, ' ')
  // Spans already matched by a longer phrase are kept (PHỐ of THÀNH PHỐ is not PHÓ).
  const taken = new Array<boolean>(text.length).fill(false)
  for (const { phrase, key } of byFold) {
    const folded = fold(text)
    for (let at = folded.indexOf(key); at >= 0; at = folded.indexOf(key, at + key.length)) {
      const end = at + key.length
      const bounded =
        (at === 0 || !/\p{L}/u.test(text[at - 1]!)) && (end === text.length || !/\p{L}/u.test(text[end]!))
      if (!bounded || taken.slice(at, end).some(Boolean)) continue
      text = text.slice(0, at) + phrase + text.slice(end)
      taken.fill(true, at, end)
    }
  }
  return text
}
