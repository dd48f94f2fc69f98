/**
 * The agency's time zone. Every date and time the UI shows is Vietnam time (+07:00), whatever zone the
 * browser runs in: a document received at 00:30 on 1 January is dated 1 January for everyone, as the
 * registers and the archival package (ISO 8601 with +07:00) date it.
 */
export const AGENCY_TIME_ZONE = 'Asia/Ho_Chi_Minh'

/** dd/mm/yyyy with a four-digit year, as Vietnamese offices write dates (ND30: 05/02/2026). */
const DAY = { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: AGENCY_TIME_ZONE } as const

/** The one pair of formatters the UI uses for dates and date-times, in the agency's time zone. */
export function agencyDateFormats(locale: string): { date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat } {
  return {
    date: new Intl.DateTimeFormat(locale, DAY),
    dateTime: new Intl.DateTimeFormat(locale, { ...DAY, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  }
}

/** The current year in the agency's time zone (the year a plan or hồ sơ belongs to). */
export function agencyYear(now = new Date()): number {
  return Number(new Intl.DateTimeFormat('en-GB', { year: 'numeric', timeZone: AGENCY_TIME_ZONE }).format(now))
}
