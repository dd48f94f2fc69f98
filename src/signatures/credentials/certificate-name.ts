/**
 * Whether a signing certificate names the person (or, for the seal, the agency) it is imported for. A
 * signature carries the certificate's name, not the account's: a leader who imports someone else's
 * .p12 — or the agency a seal certificate of another body — signs in their name. Import is not refused
 * (names are written in many ways), but the difference is shown as a warning with the credential.
 */

export interface NameWarning {
  /** The name the certificate gives (its CN; for the seal also its O). */
  certificateName: string
  /** The account's full name, or the agency's name for the seal. */
  expectedName: string
  message: string
  messageEn: string
}

/** The values of one attribute in a subject written "C=VN, O=…, CN=…" (as certificateDetails does). */
function attribute(subject: string, name: string): string[] {
  const pattern = new RegExp(`(?:^|, )${name}=(.*?)(?=, [A-Za-z][A-Za-z0-9.]*=|$)`, 'g')
  return [...subject.matchAll(pattern)].map((match) => match[1]!.trim()).filter(Boolean)
}

/** Lower case, one space between words, NFC; `folded` also drops diacritics (đ → d). */
function normalise(text: string, folded = false): string {
  let value = text.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim()
  if (folded) value = value.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd')
  return value
}

/** `name` appears in `text` as whole words ("Nguyễn Văn An - Chủ tịch" holds "Nguyễn Văn An"). */
function holdsName(text: string, name: string, folded: boolean): boolean {
  const haystack = ` ${normalise(text, folded).replace(/[^\p{L}\p{N} ]/gu, ' ').replace(/ +/g, ' ')} `
  const needle = ` ${normalise(name, folded).replace(/[^\p{L}\p{N} ]/gu, ' ').replace(/ +/g, ' ').trim()} `
  return needle.trim() !== '' && haystack.includes(needle)
}

/**
 * The warning for a certificate whose names do not hold `expectedName` (letter case, spacing and — for
 * certificates written without diacritics — accents aside); undefined when one does.
 */
export function certificateNameWarning(
  subject: string,
  expectedName: string | undefined,
  kind: 'personal' | 'agency-seal',
): NameWarning | undefined {
  if (!expectedName?.trim()) return undefined
  const names = kind === 'personal' ? attribute(subject, 'CN') : [...attribute(subject, 'CN'), ...attribute(subject, 'O')]
  if (names.some((name) => holdsName(name, expectedName, false) || holdsName(name, expectedName, true))) return undefined
  const certificateName = names[0] ?? subject
  return kind === 'personal'
    ? {
        certificateName,
        expectedName,
        message: `Chứng thư mang tên “${certificateName}”, khác tên tài khoản “${expectedName}”. Văn bản ký bằng chứng thư này sẽ mang tên “${certificateName}”: hãy kiểm tra đây đúng là chứng thư của anh/chị.`,
        messageEn: `The certificate is in the name of “${certificateName}”, not the account’s “${expectedName}”. Documents signed with it will carry “${certificateName}”: check that it is really yours.`,
      }
    : {
        certificateName,
        expectedName,
        message: `Chứng thư con dấu mang tên “${certificateName}”, khác tên cơ quan “${expectedName}”. Văn bản đóng dấu sẽ mang tên “${certificateName}”: hãy kiểm tra đây đúng là chứng thư của cơ quan.`,
        messageEn: `The seal certificate is in the name of “${certificateName}”, not the agency’s “${expectedName}”. Sealed documents will carry “${certificateName}”: check that it is really the agency’s.`,
      }
}
