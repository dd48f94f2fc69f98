/**
 * The records rules vanthu follows where the sources are unsure or disagree — written down in one
 * place, each with its source and whether it can be changed by configuration (RECORDS_* variables,
 * src/platform/config.ts). See also ../shared/spec/vn-records-rules.md §8–§10.
 *
 * 1. Transfer deadline (nộp lưu). ND30 Điều 31 (and Luật Lưu trữ 2011 Điều 11): within ONE YEAR of the
 *    year the work ended (hồ sơ xây dựng cơ bản: 3 months after settlement). Public implementers of
 *    TT 05/2025/TT-BNV mention a 60-day window for electronic records; the official text could not be
 *    read here, so the default stays at ND30's year and `RECORDS_TRANSFER_DUE_DAYS` changes it
 *    (60 for the TT 05/2025 reading). Counted from the day the hồ sơ was closed.
 * 2. Notice before the deadline: 30 days (ND30 Phụ lục VI III.5.b) — `RECORDS_TRANSFER_NOTICE_DAYS`.
 * 3. Retention counts from the year the work ended (the year the hồ sơ closed, TT 10/2022): a hồ sơ
 *    closed in 2020 with 10 years may be appraised for destruction from 01/01/2031 (the first day after
 *    31/12 of closing year + term). Vĩnh viễn is never due.
 * 4. The archival `maintenance` code list (TT 05/2025 as implementers publish it) has 01 Vĩnh viễn,
 *    02 70, 03 50, 04 30, 05 20, 06 10 năm only. A term not in the list (5, 15 năm — legal under
 *    TT 10/2022) is exported as its text ("15 năm") rather than forced into a code.
 * 5. FileCode = OrganId + "." + year + "." + notation (ND30 Phụ lục VI; example 000.00.00.G09.2010.01.TH).
 *    An agency without a mã định danh uses its abbreviation in place of the OrganId (and should set it).
 * 6. docCode = {fileCode}.{7-digit ordinal} (TT 05/2025 implementers).
 * 7. Package: E-ARK CSIP 2.0.4 profile; OAISPACKAGETYPE SIP by default ("AIP" when the package stays in
 *    the same system — TT 05/2025's AIP_hoso), times ISO 8601 with +07:00.
 * 8. Object Lock: GOVERNANCE mode by default (a mistaken date can be corrected by an account allowed to
 *    bypass it); COMPLIANCE with `RECORDS_OBJECT_LOCK_MODE=COMPLIANCE`. Vĩnh viễn records are locked
 *    for `RECORDS_PERMANENT_LOCK_YEARS` (default 100), capped at 2106-01-01 (radosgw's 32-bit dates); the
 *    lock is extended whenever the records.object-lock-sync job runs for them again (no automatic renewal).
 * 9. TT 10/2022/TT-BNV rows: the published text could not be read from here (the stored summaries give
 *    no row numbers or terms), so **no rows are hard-coded**: the schedule ships empty and an admin
 *    imports the agency's schedule (CSV/JSON) — see README "Hồ sơ, lưu trữ".
 */

/** Chế độ sử dụng (mode). */
export const RECORD_MODES = { 1: 'Công khai', 2: 'Sử dụng có điều kiện', 3: 'Mật' } as const

/** The archival `maintenance` codes (TT 05/2025 implementers): years → code; permanent = 01. */
const MAINTENANCE_CODES: Record<number, string> = { 70: '02', 50: '03', 30: '04', 20: '05', 10: '06' }

export interface Retention {
  permanent: boolean
  years: number | null
}

/** The `maintenance` value of a retention: its code when the list has one, otherwise its text (choice 4). */
export function maintenanceCode(retention: Retention): string {
  if (retention.permanent) return '01'
  return MAINTENANCE_CODES[retention.years ?? 0] ?? `${retention.years} năm`
}

/** "Vĩnh viễn" or "10 năm", as the danh mục prints it. */
export function retentionLabel(retention: Retention): string {
  return retention.permanent ? 'Vĩnh viễn' : `${retention.years} năm`
}

/** The first day a hồ sơ closed on `endDate` may be destroyed (choice 3); undefined = permanent. */
export function disposalEligibleFrom(retention: Retention, endDate: string): string | undefined {
  if (retention.permanent || !retention.years) return undefined
  const year = Number(endDate.slice(0, 4)) + retention.years + 1
  return `${year}-01-01`
}

/** FileCode of a hồ sơ (choice 5). */
export function fileCodeOf(organId: string, year: number, notation: string): string {
  return `${organId}.${year}.${notation}`
}

/** docCode of the document at `ordinal` in a hồ sơ (choice 6). */
export function docCodeOf(fileCode: string, ordinal: number): string {
  return `${fileCode}.${String(ordinal).padStart(7, '0')}`
}

/** Today in Vietnam (UTC+7), as YYYY-MM-DD. */
export function vietnamDate(at = new Date()): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10)
}

/** ISO 8601 with the +07:00 offset (TT 05/2025 and ND30 write times this way). */
export function vietnamIsoTime(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 19)
  return `${local}+07:00`
}
